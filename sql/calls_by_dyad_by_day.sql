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
select
    event_date as day,
    country_a,
    country_b,
    count(*) as calls,
    count(*) filter (where initiator = country_a) as placed_by_a,
    count(*) filter (where initiator = country_b) as placed_by_b,
    count(*) filter (where initiator is null or initiator not in (country_a, country_b))
        as initiator_unknown
from event_pairs
where event_type = 'call'
group by event_date, country_a, country_b
order by day, country_a, country_b
