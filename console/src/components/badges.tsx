/** Small labels that carry their meaning in words, not only in colour. */

export function RiskBadge({ score }: { score: number | null }) {
  if (score === null) return <span class="muted">not scored</span>;
  const level = score >= 70 ? 'high' : score >= 40 ? 'medium' : 'low';
  return (
    <span class={`risk ${level}`} title={`Risk score ${score} of 100 (${level})`}>
      {score} <span class="sr">of 100,</span> {level}
    </span>
  );
}

const STATUS_WORDS: Record<string, string> = {
  PENDING_DECISION: 'Being decided',
  PENDING_APPROVAL: 'Waiting for approval',
  ALLOWED: 'Allowed',
  APPROVED: 'Approved',
  DENIED: 'Denied',
  EXPIRED: 'Expired (denied)',
  ACTIVE: 'Active',
  SUSPENDED: 'Suspended',
  DISCOVERED: 'Discovered (no owner)',
  DECOMMISSIONED: 'Decommissioned',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`status ${status.toLowerCase()}`} data-status={status}>
      {STATUS_WORDS[status] ?? status}
    </span>
  );
}
