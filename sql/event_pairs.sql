-- Every dated event once for each unordered pair of its countries: the one place where a
-- contact among several states is cut into pairs, for the pair tables built on it
-- (calls_by_dyad_by_day, country_contact_network). A call among three countries gives three rows.
--
-- Columns:
--   event_id: The event (see events).
--   event_type: call, visit, meeting or message.
--   event_date: Day of the event.
--   country_a: The alphabetically first country of the pair.
--   country_b: The other country.
--   initiator: Who initiated the event, when a report says (may be a third country).
--   report_ids: The independent reports behind the event.
select
    events.event_id,
    events.event_type,
    events.event_date,
    a.country as country_a,
    b.country as country_b,
    events.initiator,
    events.report_ids
from events,
    unnest(events.countries) as a(country),
    unnest(events.countries) as b(country)
where a.country < b.country
    and events.event_date is not null
order by event_date, country_a, country_b, event_id
