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
with pairs as (
    select
        event_id,
        event_type,
        event_date,
        initiator,
        report_ids,
        -- each country with every country after it: (a, b), a < b
        unnest(flatten(list_transform(countries, lambda a:
            list_transform(list_filter(countries, lambda b: a < b),
                lambda b: struct_pack(country_a := a, country_b := b))
        ))) as pair
    from events
    where event_date is not null
)

select
    event_id,
    event_type,
    event_date,
    pair.country_a as country_a,
    pair.country_b as country_b,
    initiator,
    report_ids
from pairs
order by event_date, country_a, country_b, event_id
