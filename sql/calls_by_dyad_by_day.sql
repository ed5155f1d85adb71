-- For each pair of countries and day: the calls between them, and who placed them.
-- A pair is unordered (country_a sorts before country_b); a call among three countries
-- counts once for each of its pairs.
--
-- Columns:
--   day: Day of the calls.
--   country_a: The alphabetically first country of the pair.
--   country_b: The other country.
--   calls: Distinct calls between the two that day.
--   placed_by_a: Of which country_a initiated.
--   placed_by_b: Of which country_b initiated.
--   initiator_unknown: Of which the reports do not say who called (or a third country did).
with calls as (
    select event_id, event_date, countries, initiator
    from events
    where event_type = 'call'
        and event_date is not null
),

pairs as (
    select
        calls.event_id,
        calls.event_date as day,
        a.country as country_a,
        b.country as country_b,
        calls.initiator
    from calls,
        unnest(calls.countries) as a(country),
        unnest(calls.countries) as b(country)
    where a.country < b.country
)

select
    day,
    country_a,
    country_b,
    count(*) as calls,
    count(*) filter (where initiator = country_a) as placed_by_a,
    count(*) filter (where initiator = country_b) as placed_by_b,
    count(*) filter (where initiator is null) as initiator_unknown
from pairs
group by day, country_a, country_b
order by day, country_a, country_b
