"""How an article ranks: helpfulness with confidence, blended with use, decayed over time.

``Article.score = use + QUALITY_WEIGHT * quality`` (docs/decisions.md, "Ranking articles"):

- ``quality`` is the Wilson lower bound (95%) of the helpful share minus that of the
  unhelpful share: 0 with no votes, near 1 for many Yes, near -1 for many No, and small for
  a few votes either way, so one lucky vote does not beat a hundred good ones.
- ``use`` is the natural log of every use's weight (a view, a deflection, a use in a reply)
  decayed by half every ``HALF_LIFE``, stored *time-anchored*: each use is added with the
  weight it would have had at ``ANCHOR``, which grows by ``e`` every ``TAU``. Every score
  then decays at the same rate, so scores written months apart compare as they stand now,
  and nothing rescores them at night. The number itself grows with the calendar; only
  the order means something (``score_now`` takes the calendar out).

Every change is one UPDATE of the article's row, with the arithmetic in SQL (``ln``,
``exp``), so concurrent views or votes all count and none overwrites another's score.
Every function only writes in the caller's transaction: the caller's edge commits.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, update
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.knowledge.models import Article

#: z of the 95% Wilson score interval
Z = 1.959963984540054
#: how much helpfulness moves the score: ``e ** 3`` (about 20) times the use, at most
QUALITY_WEIGHT = 3.0
#: a use counts half as much after this long
HALF_LIFE = timedelta(days=30)
#: the time-anchored uses' origin; any fixed moment does (the scores' unit is TAU from it)
ANCHOR = datetime(2025, 1, 1, tzinfo=UTC)
#: the decay's time constant: ``e ** (-age / TAU)`` halves every HALF_LIFE
TAU = HALF_LIFE / math.log(2)
#: what one use of each kind weighs: a reader who looked; a reader who needed nothing more;
#: an agent who vouched for the article to a customer
VIEW_WEIGHT = 1.0
DEFLECTION_WEIGHT = 5.0
REPLY_USE_WEIGHT = 5.0


def wilson_bounds(positive: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval of ``positive / total``; (0, 1) with nothing known."""
    if total <= 0:
        return 0.0, 1.0
    share = positive / total
    spread = Z * Z / total
    centre = share + spread / 2
    margin = Z * math.sqrt(share * (1 - share) / total + spread / (4 * total))
    lower, upper = (centre - margin) / (1 + spread), (centre + margin) / (1 + spread)
    # at none or all the bound is exactly 0 or 1, where rounding leaves a trace
    return (lower if positive > 0 else 0.0), (upper if positive < total else 1.0)


def quality(helpful: int, not_helpful: int) -> float:
    """How helpful readers find the article, with confidence, in (-1, 1): the helpful
    share's Wilson lower bound less the unhelpful share's."""
    total = helpful + not_helpful
    return wilson_bounds(helpful, total)[0] - wilson_bounds(not_helpful, total)[0]


def clock(at: datetime | None = None) -> float:
    """``at`` (default: now) in the anchored scores' unit: TAUs since ANCHOR."""
    return ((at or utcnow()) - ANCHOR) / TAU


def score_now(at: datetime | None = None) -> ColumnElement[float]:
    """``Article.score`` as of ``at`` (default: now): the log of the article's decayed use
    then, plus its quality term. Orders as ``Article.score`` does; for blending the score
    with something else (a search's relevance), where the calendar's part would drown it."""
    return Article.score - clock(at)


def refresh_score(article: Article, *, at: datetime | None = None) -> None:
    """Set ``article.score`` from its counters alone, as if all its use came at ``at``
    (default: now): for counters set by hand (the demo, an import), which carry no times."""
    weight = (
        article.view_count * VIEW_WEIGHT
        + article.deflection_count * DEFLECTION_WEIGHT
        + article.reply_use_count * REPLY_USE_WEIGHT
    )
    use = _log_add(0.0, math.log(weight) + clock(at)) if weight > 0 else 0.0
    article.score = use + QUALITY_WEIGHT * quality(article.helpful_count, article.not_helpful_count)
    article.score_updated_at = at or utcnow()


def record_view(session: DbSession, article: Article, *, at: datetime | None = None) -> None:
    """A reader opened the published article (help center, widget, portal, API)."""
    _add_use(session, article, Article.view_count, VIEW_WEIGHT, at)


def record_reply_use(session: DbSession, article: Article, *, at: datetime | None = None) -> None:
    """An agent put the article (a link or its text) into a reply."""
    _add_use(session, article, Article.reply_use_count, REPLY_USE_WEIGHT, at)


def record_deflection(session: DbSession, article: Article, *, at: datetime | None = None) -> None:
    """A reader who was shown the article did not contact us within a day; ``at`` is
    when they were shown it (the use), not when the day ran out."""
    _add_use(session, article, Article.deflection_count, DEFLECTION_WEIGHT, at)


def record_votes(session: DbSession, article: Article, *, helpful: int, not_helpful: int) -> None:
    """Add to the article's vote counters (either may be negative: a vote replaced) and
    move its score by the change in quality.

    The caller holds the article's row lock and has it loaded as it is (``feedback``),
    so the counters it reads are the ones this adds to.
    """
    before = quality(article.helpful_count, article.not_helpful_count)
    after = quality(article.helpful_count + helpful, article.not_helpful_count + not_helpful)
    _update(
        session,
        article,
        helpful_count=Article.helpful_count + helpful,
        not_helpful_count=Article.not_helpful_count + not_helpful,
        score=Article.score + QUALITY_WEIGHT * (after - before),
    )


def _add_use(
    session: DbSession,
    article: Article,
    counter: InstrumentedAttribute[int],
    weight: float,
    at: datetime | None,
) -> None:
    """One more use: the counter, and the use's anchored weight added to the score in
    log space (``ln(e^score + e^x)``, written so that neither ``exp`` overflows)."""
    x = literal(math.log(weight) + clock(at))
    added = case(
        (Article.score >= x, Article.score + func.ln(1 + func.exp(x - Article.score))),
        else_=x + func.ln(1 + func.exp(Article.score - x)),
    )
    _update(session, article, **{counter.key: counter + 1, "score": added})


def _update(session: DbSession, article: Article, **values: Any) -> None:
    """One UPDATE of the article's row with ``values`` (SQL over the row as it is then),
    the new values read back into ``article`` by its RETURNING."""
    names = [*values, "score_updated_at"]
    stmt = (
        update(Article)
        .where(Article.id == article.id)
        .values(**values, score_updated_at=utcnow())
        .returning(*(getattr(Article, name) for name in names))
        .execution_options(synchronize_session=False)
    )
    row = session.execute(stmt).one_or_none()
    if row is not None:  # else deleted meanwhile: nothing to count
        for name, value in zip(names, row, strict=True):
            set_committed_value(article, name, value)


def _log_add(a: float, b: float) -> float:
    """``ln(e^a + e^b)`` without overflow."""
    high, low = max(a, b), min(a, b)
    return high + math.log1p(math.exp(low - high))
