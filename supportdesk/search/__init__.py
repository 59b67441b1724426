"""One search for articles, tickets and customers, on SQLite FTS5 or PostgreSQL full-text.

What other domains call is ``service``; how text becomes terms is ``text`` (the same for
what is indexed and what is asked), what a query means is ``query``, the two databases'
ways of answering it are ``backends``, and ``listeners`` keep the indexes current in the
writing transaction.
"""

#: what ``supportdesk search reindex --kind`` rebuilds (all three by default)
KINDS = ("articles", "tickets", "customers")
