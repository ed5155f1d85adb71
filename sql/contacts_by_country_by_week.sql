-- For each country and ISO week (weeks start on Monday): how many calls, visits, meetings
-- and messages it took part in.
--
-- Columns:
--   week: Monday of the ISO week.
--   country: A participating country.
--   calls: Calls it took part in that week.
--   visits: Visits it made or received.
--   meetings: Meetings it took part in.
--   messages: Messages it sent or received.
--   contacts: All four together.
with contacts as (
    select event_id, event_type, date_trunc('week', event_date)::date as week, countries
    from events
    where event_date is not null
),

participations as (
    select week, country, event_type, event_id
    from contacts, unnest(contacts.countries) as t(country)
)

select
    week,
    country,
    count(*) filter (where event_type = 'call') as calls,
    count(*) filter (where event_type = 'visit') as visits,
    count(*) filter (where event_type = 'meeting') as meetings,
    count(*) filter (where event_type = 'message') as messages,
    count(*) as contacts
from participations
group by week, country
order by week, country
