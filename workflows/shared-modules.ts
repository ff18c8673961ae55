/**
 * Loaded once per worker, before any workflow, and shared by every workflow on it (the bundle's
 * preloadModules; see worker/bundle.ts). Without this every workflow, cached or replaying, evaluates its
 * own copy of every module it imports. Shared here: the modules that hold no per-workflow state — the
 * domain's rules, risk scoring, canonical JSON, signed statements and the ECDSA P-256 curve, whose
 * base-point table alone is hundreds of KB. Workflow modules (messages, handlers, activity proxies) stay
 * per workflow. The SDK freezes what is shared, so a module that mutated its own exports would fail loudly.
 */
import { p256 } from '@noble/curves/nist.js';
import '../audit/canonical-json.js';
import '../domain/actions.js';
import '../domain/agents.js';
import '../domain/approval-policy.js';
import '../domain/authority.js';
import '../domain/credentials.js';
import '../domain/discovery.js';
import '../domain/errors.js';
import '../domain/people.js';
import '../domain/tools.js';
import '../risk/assess-action.js';
import '../risk/decide.js';
import '../risk/learn.js';
import '../risk/policy-check.js';
import '../risk/revisions.js';
import '../risk/score.js';
import '../tokens/statements.js';

// Builds the curve's table now rather than inside the first workflow task that verifies.
p256.Point.BASE.precompute(6, false);
