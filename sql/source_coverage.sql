-- For each outlet and publication day: articles received and contacts reported.
-- Pages without a feed outlet are grouped as 'unknown'; undated articles under a null day.
--
-- Columns:
--   outlet: Outlet named by the feed, or 'unknown'.
--   day: Publication day of the articles (null when undated).
--   articles: Articles received.
--   event_mentions: Contacts reported in them (before de-duplication).
--   articles_with_events: Articles that report at least one contact.
with articles as (
    select
        c.article_id,
        coalesce(c.outlet, 'unknown') as outlet,
        d.published as day
    from cleaned_articles as c
    left join article_dates as d using (article_id)
),

mentions as (
    select article_id, count(*) as event_mentions
    from event_mentions
    where not background
    group by article_id
)

select
    articles.outlet,
    articles.day,
    count(*) as articles,
    coalesce(sum(mentions.event_mentions), 0)::bigint as event_mentions,
    count(mentions.article_id) as articles_with_events
from articles
left join mentions using (article_id)
group by articles.outlet, articles.day
order by articles.outlet, articles.day nulls last
