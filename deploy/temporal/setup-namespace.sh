#!/bin/sh
# Creates Warden's namespace and registers Warden's custom search attributes on it (the list is
# temporal/search-attributes.ts; a Warden worker refuses to start on a namespace that lacks one). Run by the
# `temporal-namespace` service of deploy/compose.yaml once the Temporal services are up, on every
# `docker compose up`: an existing namespace is kept, and attributes already registered with the same type
# are left alone, so a Warden upgrade that adds an attribute only needs this list extended.
#
# Environment: TEMPORAL_ADDRESS (the frontend), TEMPORAL_NAMESPACE, NAMESPACE_RETENTION (how long closed
# workflows, e.g. finished actions, stay readable: a Go duration such as 720h).
set -eu

address="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is not set}"
namespace="${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE is not set}"
retention="${NAMESPACE_RETENTION:-720h}"

# Bounded retries: the frontend answers before history and matching have joined, and a namespace just
# created takes a few seconds to reach every frontend's namespace cache.
retry() {
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "temporal-namespace: gave up after $tries tries: $*" >&2
      return 1
    fi
    sleep 2
  done
}

retry temporal operator cluster health --address "$address"

if ! temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  retry temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"
fi

retry temporal operator search-attribute create --address "$address" --namespace "$namespace" \
  --name AgentId --type Keyword \
  --name AgentName --type Keyword \
  --name AgentStatus --type Keyword \
  --name AgentOwner --type Keyword \
  --name AgentPlatform --type Keyword \
  --name PersonRoles --type KeywordList \
  --name ActionStatus --type Keyword \
  --name RiskScore --type Int \
  --name ToolName --type Keyword \
  --name AgentLastSeen --type Datetime \
  --name DiscoverySources --type KeywordList \
  --name SweepStatus --type Keyword \
  --name AgentAccessChangedAt --type Datetime \
  --name McpCall --type Keyword

temporal operator search-attribute list --address "$address" --namespace "$namespace"
echo "temporal-namespace: namespace $namespace is ready for Warden"
