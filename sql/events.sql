-- Real-world events: the mentions of one contact across articles merged into one row.
-- Mentions of the same type between the same participants on the same day are one event,
-- unless an article tells several such contacts apart (contact_key: two officials of one
-- state, or «ثلاث مرات»); a report that does not tell them apart joins the first of them.
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
        -- the countries as one string: a cheaper key to join, group and sort on than a list
        -- (codes are letters, which sort after the comma: the same order as the lists)
        array_to_string(m.countries, ',') as country_key,
        m.initiator,
        m.contact_key,
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
    select distinct event_type, country_key, event_date
    from mentions
    where event_date is not null
),

-- the eight days an undated mention may refer to: its article's day and the week before
undated_days as (
    select mention_id, event_type, country_key, published - back::integer as event_date
    from mentions, range(8) as t(back)
    where mentions.event_date is null and published is not null
),

undated_matches as (
    select u.mention_id, any_value(d.event_date) as event_date, count(*) as candidates
    from undated_days as u
    join dated_events as d using (event_type, country_key, event_date)
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

-- the event each mention belongs to: same type, participants and day; an undated mention
-- that found no dated event stays an event of its own report (an article, or the rewrites
-- of one text together).
grouped as (
    select
        *,
        case when undated then report end as undated_report
    from placed
),

-- the contacts an article told apart within each type, participants and day: a mention
-- with no key of its own belongs to the first of them (or to the one contact there is)
first_keys as (
    select event_type, country_key, event_date, undated_report,
        min(contact_key) as first_key
    from grouped
    where contact_key is not null
    group by all
),

keyed as (
    select
        g.* exclude (contact_key),
        coalesce(g.contact_key, f.first_key) as contact_key,
        -- the first contact keeps the id it has when nothing is told apart
        coalesce(g.contact_key, f.first_key) is distinct from f.first_key as later_contact
    from grouped as g
    left join first_keys as f
        on f.event_type = g.event_type
        and f.country_key = g.country_key
        and f.event_date is not distinct from g.event_date
        and f.undated_report is not distinct from g.undated_report
),

-- each event's size and first mention (by mention_id), which names it from here on
sizes as (
    select
        event_type, country_key, event_date, undated_report, contact_key,
        count(*) as n_mentions,
        min(mention_id) as first_mention
    from keyed
    group by all
),

sized as (
    select k.*, s.n_mentions, s.first_mention
    from keyed as k
    join sizes as s
        on s.event_type = k.event_type
        and s.country_key = k.country_key
        and s.event_date is not distinct from k.event_date
        and s.undated_report is not distinct from k.undated_report
        and s.contact_key is not distinct from k.contact_key
),

-- most events have one mention: their lists are that mention's values, no aggregation
single_mention_events as (
    select
        first_mention,
        event_type,
        event_date,
        date_basis,
        countries,
        country_key,
        case when later_contact then contact_key end as later_key,
        initiator,
        1 as n_mentions,
        1 as n_articles,
        1 as n_independent_reports,
        [source_id] as source_ids,
        [report] as report_ids,
        [mention_id] as mention_ids,
        [evidence] as evidence
    from sized
    where n_mentions = 1
),

-- the others: every mention of the event in one list sorted by mention_id (its first
-- field); the per-event values are read from it, which is much cheaper than one DISTINCT
-- or ordered aggregate each
merged as (
    select
        first_mention,
        any_value(event_type) as event_type,
        any_value(event_date) as event_date,
        min(date_basis) as date_basis,
        any_value(countries) as countries,
        any_value(country_key) as country_key,
        any_value(case when later_contact then contact_key end) as later_key,
        list_sort(list(struct_pack(
            mention_id := mention_id, evidence := evidence, source_id := source_id,
            article_id := article_id, report := report, initiator := initiator
        ))) as reports
    from sized
    where n_mentions > 1
    group by first_mention
),

multi_mention_events as (
    select
        first_mention,
        event_type,
        event_date,
        date_basis,
        countries,
        country_key,
        later_key,
        -- the initiator most reports name; a tie goes to the first code, so reruns agree
        list_sort(list_transform(
            list_distinct(list_filter(list_transform(reports, lambda r: r.initiator),
                lambda i: i is not null)),
            lambda i: struct_pack(votes := -len(list_filter(reports,
                lambda r: r.initiator = i)), initiator := i)
        ))[1].initiator as initiator,
        len(reports) as n_mentions,
        len(list_distinct(list_transform(reports, lambda r: r.article_id))) as n_articles,
        len(list_distinct(list_transform(reports, lambda r: r.report))) as n_independent_reports,
        list_sort(list_distinct(list_transform(reports, lambda r: r.source_id))) as source_ids,
        list_sort(list_distinct(list_transform(reports, lambda r: r.report))) as report_ids,
        list_transform(reports, lambda r: r.mention_id) as mention_ids,
        list_transform(reports, lambda r: r.evidence) as evidence
    from merged
),

all_events as (
    select * from single_mention_events
    union all
    select * from multi_mention_events
)

select
    -- a later contact told apart from the first of its day (contact_key) adds its key
    md5(concat_ws('|', event_type, country_key,
        coalesce(event_date::varchar, 'undated:' || first_mention), later_key))[:16]
        as event_id,
    event_type,
    event_date,
    date_basis,
    countries,
    initiator,
    n_mentions,
    n_articles,
    n_independent_reports,
    source_ids,
    report_ids,
    mention_ids,
    evidence
from all_events
order by event_date nulls last, event_type, country_key, event_id
