-- One row per measure of the last run's health: records landed, processed and quarantined
-- (with each quarantine reason), the language mix, the undated share and events per article.
--
-- Columns:
--   measure: What is measured (e.g. 'records landed', 'quarantined: <stage>: <reason>').
--   value: Its value (counts, or a share between 0 and 1 for shares).
with landed as (
    select
        (select count(*) from raw_documents) as processed,
        (select count(*) from quarantine where stage = 'raw_documents') as quarantined
),

reasons as (
    select 'quarantined: ' || stage || ': ' || split_part(reason, ':', 1) as measure,
        count(*)::double as value
    from quarantine
    group by all
),

languages as (
    select 'articles in language ' || language as measure, count(*)::double as value
    from cleaned_articles
    group by language
),

dates as (
    select 'share of articles without a publication date' as measure,
        avg(case when published is null then 1 else 0 end)::double as value
    from article_dates
),

events_per_article as (
    select 'event mentions per article' as measure,
        (select count(*) from event_mentions where not background)::double
        / greatest((select count(*) from cleaned_articles), 1) as value
)

select 'records landed' as measure, (processed + quarantined)::double as value from landed
union all select 'records processed', processed::double from landed
union all select 'records quarantined', quarantined::double from landed
union all select measure, value from reasons
union all select measure, value from languages
union all select measure, value from dates
union all select measure, value from events_per_article
order by measure
