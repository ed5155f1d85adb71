-- Real-world events: the mentions of one contact across articles merged into one row.
-- Mentions of the same type between the same participants on the same day are one event.
-- An undated mention joins a dated event only when exactly one event of its type and
-- participants lies in the week before its article's publication; otherwise it stays an
-- undated event of its own report (one article, or rewrites of one text together).
-- Background mentions (past events told in passing) are left out.
--
-- Columns:
--   event_id: Stable id from type, countries and day (or the first mention when undated).
--   event_type: call, visit, meeting or message.
--   event_date: Day of the contact, or null when no report fixes it.
--   date_basis: How the day was known (explicit date, relative to publication, inferred…).
--   countries: Participating countries (ISO 3166-1 alpha-3, or organisation codes), sorted.
--   initiator: The country that called, visited or sent the message, when a report says.
--   n_mentions: Reports of this contact, counted per article mention.
--   n_articles: Distinct articles that report it.
--   n_independent_reports: Articles that report it, rewrites of one text counted once.
--   source_ids: Landed records whose articles report it.
--   report_ids: The independent reports (article_clusters.cluster_id) behind it.
--   mention_ids: The event_mentions merged into this event.
--   evidence: The sentence of each mention, in mention_ids order.
with mentions as (
    select
        m.mention_id,
        m.source_id,
        m.article_id,
        m.event_type,
        m.countries,
        m.initiator,
        m.evidence,
        -- rewrites of one text (see article_clusters) are one independent report
        coalesce(c.cluster_id, m.article_id) as report,
        a.published,
        coalesce(m.event_date, a.published - m.date_offset::integer) as event_date,
        case
            when m.event_date is not null then m.date_basis
            when m.date_offset is not null and a.published is not null then 'inferred'
            else m.date_basis
        end as date_basis
    from event_mentions as m
    left join article_dates as a using (article_id)
    left join article_clusters as c using (article_id)
    where not m.background
),

dated_events as (
    select distinct event_type, countries, event_date
    from mentions
    where event_date is not null
),

undated_matches as (
    select u.mention_id, any_value(d.event_date) as event_date, count(*) as candidates
    from mentions as u
    join dated_events as d
        on d.event_type = u.event_type
        and d.countries = u.countries
        and d.event_date between u.published - 7 and u.published
    where u.event_date is null
    group by u.mention_id
),

placed as (
    select
        m.* exclude (event_date, date_basis),
        coalesce(m.event_date, um.event_date) as event_date,
        case when m.event_date is null and um.event_date is not null
            then 'same contact as a dated report' else m.date_basis end as date_basis,
        coalesce(m.event_date, um.event_date) is null as undated
    from mentions as m
    left join undated_matches as um
        on um.mention_id = m.mention_id and um.candidates = 1
),

grouped as (
    select
        event_type,
        any_value(countries) as countries,
        event_date,
        min(date_basis) as date_basis,
        histogram(initiator) filter (where initiator is not null) as initiator_votes,
        -- every mention of the event in one list sorted by mention_id (its first field);
        -- the per-event values below are read from it, which is much cheaper than one
        -- DISTINCT or ordered aggregate each
        list_sort(list(struct_pack(
            mention_id := mention_id, evidence := evidence, source_id := source_id,
            article_id := article_id, report := report
        ))) as reports
    from placed
    -- an undated mention stays an event of its own report (an article, or the rewrites of
    -- one text together) unless it found a dated one
    -- (the countries as one string: a cheaper key than a list)
    group by event_type, array_to_string(countries, ','), event_date,
        case when undated then report end
)

select
    md5(concat_ws('|', event_type, array_to_string(countries, ','),
        coalesce(event_date::varchar, 'undated:' || reports[1].mention_id)))[:16] as event_id,
    event_type,
    event_date,
    date_basis,
    countries,
    -- the initiator most reports name; a tie goes to the first code, so reruns agree
    list_sort(list_transform(map_entries(initiator_votes),
        lambda e: struct_pack(votes := -e.value::bigint, initiator := e.key)
    ))[1].initiator as initiator,
    len(reports) as n_mentions,
    len(list_distinct(list_transform(reports, lambda r: r.article_id))) as n_articles,
    len(list_distinct(list_transform(reports, lambda r: r.report))) as n_independent_reports,
    list_sort(list_distinct(list_transform(reports, lambda r: r.source_id))) as source_ids,
    list_sort(list_distinct(list_transform(reports, lambda r: r.report))) as report_ids,
    list_transform(reports, lambda r: r.mention_id) as mention_ids,
    list_transform(reports, lambda r: r.evidence) as evidence
from grouped
order by event_date nulls last, event_type, countries, event_id
