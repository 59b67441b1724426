// The placeholders a canned response may use, for the editor's help text. The desk's list is
// supportdesk/canned/placeholders.py (PLACEHOLDERS); it checks every body when it is saved,
// so a name missing here is only missing from the help, never let through.
export const CANNED_PLACEHOLDERS = [
  "customer.name",
  "customer.email",
  "customer.phone",
  "ticket.ref",
  "ticket.subject",
  "ticket.status",
  "agent.name",
  "agent.email",
] as const;
