-- For each country and day: how many telephone calls it took part in, with whom, and how
-- many articles and independent reports (rewrites of one text counted once) told of them.
-- Only calls whose day is known are counted.
--
-- Columns:
--   day: Day of the calls.
--   country: A participating country (ISO 3166-1 alpha-3 or organisation code).
--   calls: Distinct calls it took part in that day.
--   partners: The other countries of those calls, sorted.
--   articles: Landed records that reported those calls.
--   independent_reports: Independent reports among them (rewrites of one text counted once).
with calls as (
    select event_id, event_date, countries, source_ids, report_ids
    from events
    where event_type = 'call'
        and event_date is not null
),

participations as (
    select
        calls.event_date as day,
        country,
        calls.event_id,
        list_filter(calls.countries, lambda other: other <> country) as partners,
        calls.source_ids,
        calls.report_ids
    from calls, unnest(calls.countries) as t(country)
)

select
    day,
    country,
    count(distinct event_id) as calls,
    list_sort(list_distinct(flatten(list(partners)))) as partners,
    len(list_distinct(flatten(list(source_ids))))::bigint as articles,
    len(list_distinct(flatten(list(report_ids))))::bigint as independent_reports
from participations
group by day, country
order by day, country
