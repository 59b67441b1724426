"""Ticket operations: open, update through the status machine, add messages and calls.

``tickets`` (the ticket itself and its events), ``messages`` and ``calls`` hold them,
``inbox`` the list, its views and their counts, ``bulk`` one change to many tickets,
``merge`` one ticket into another,
``rows`` how their rows are written. What other domains, the API and the CLI call is
re-exported here (``service.create_ticket(...)``), each name once.
"""

from supportdesk.tickets.service.bulk import MAX_TICKETS as MAX_TICKETS
from supportdesk.tickets.service.bulk import bulk_update as bulk_update
from supportdesk.tickets.service.bulk import get_tickets as get_tickets
from supportdesk.tickets.service.calls import log_call as log_call
from supportdesk.tickets.service.inbox import VIEW_RULES as VIEW_RULES
from supportdesk.tickets.service.inbox import InboxCounts as InboxCounts
from supportdesk.tickets.service.inbox import View as View
from supportdesk.tickets.service.inbox import inbox_counts as inbox_counts
from supportdesk.tickets.service.inbox import tickets_page as tickets_page
from supportdesk.tickets.service.merge import merge_ticket as merge_ticket
from supportdesk.tickets.service.messages import StaleReply as StaleReply
from supportdesk.tickets.service.messages import add_customer_message as add_customer_message
from supportdesk.tickets.service.messages import add_message as add_message
from supportdesk.tickets.service.messages import create_ticket as create_ticket
from supportdesk.tickets.service.messages import create_ticket_for as create_ticket_for
from supportdesk.tickets.service.messages import customers_attachment as customers_attachment
from supportdesk.tickets.service.messages import get_attachment as get_attachment
from supportdesk.tickets.service.messages import get_message as get_message
from supportdesk.tickets.service.messages import messages_page as messages_page
from supportdesk.tickets.service.messages import move_message as move_message
from supportdesk.tickets.service.messages import reply as reply
from supportdesk.tickets.service.messages import split_message as split_message
from supportdesk.tickets.service.messages import subject_of as subject_of
from supportdesk.tickets.service.tickets import get_ticket as get_ticket
from supportdesk.tickets.service.tickets import normalize_tags as normalize_tags
from supportdesk.tickets.service.tickets import record_event as record_event
from supportdesk.tickets.service.tickets import update_ticket as update_ticket
