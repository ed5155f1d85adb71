-- The network of diplomatic contacts: one edge per pair of countries that were in contact,
-- weighted by how many contacts (calls, visits, meetings, messages) they had, in all and in
-- the last 30 and 365 days. The windows end on the latest event day in the data, not on
-- today, so the table is the same whenever it is rebuilt. A contact among three countries
-- counts on each of its three edges (see event_pairs). Only dated contacts are counted.
--
-- Columns:
--   country_a: ISO 3166-1 alpha-3 code, the alphabetically first country of the pair.
--   country_b: ISO 3166-1 alpha-3 code of the other country.
--   contacts: Contacts of any type between the two, all time.
--   calls: Telephone calls between the two.
--   visits: Visits of an official of one to the other.
--   meetings: In-person meetings and receptions.
--   messages: Written or verbal messages sent between them.
--   contacts_last_30_days: Contacts in the 30 days ending on the latest event day.
--   contacts_last_365_days: Contacts in the 365 days ending on the latest event day.
--   independent_reports: Independent reports behind these contacts (rewrites counted once).
--   first_contact: Day of their first contact in the data.
--   last_contact: Day of their latest contact in the data.
with window_end as (
    select max(event_date) as last_day from event_pairs
)

-- each event gives each of its pairs one row, so counting rows counts events
select
    country_a,
    country_b,
    count(*) as contacts,
    count(*) filter (where event_type = 'call') as calls,
    count(*) filter (where event_type = 'visit') as visits,
    count(*) filter (where event_type = 'meeting') as meetings,
    count(*) filter (where event_type = 'message') as messages,
    count(*) filter (where event_date > last_day - 30) as contacts_last_30_days,
    count(*) filter (where event_date > last_day - 365) as contacts_last_365_days,
    len(list_distinct(flatten(list(report_ids))))::bigint as independent_reports,
    min(event_date) as first_contact,
    max(event_date) as last_contact
from event_pairs, window_end
group by country_a, country_b
order by contacts desc, country_a, country_b
