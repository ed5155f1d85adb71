-- Officials and whom they were in contact with. For each official named in a contact who
-- belongs to one of its countries, and each other country of that contact: how many contacts
-- of each type, with which official of the other country (when the same report names one), and
-- between which days. Offices are those held on the day of the article, so a person who
-- changed office appears with every office they held.
--
-- Columns:
--   person_id: The official, as in the officeholder register.
--   name: The official's name as the register writes it.
--   country: The official's country (ISO 3166-1 alpha-3).
--   offices: Offices the official held in these contacts.
--   counterpart_country: The other country of the contact.
--   counterpart_id: The official of the other country named in the same report, or null.
--   counterpart_name: That official's name, or null.
--   contacts: Distinct contacts (de-duplicated events) of the pair.
--   calls: Of which telephone calls.
--   visits: Of which visits.
--   meetings: Of which meetings.
--   messages: Of which messages.
--   first_contact: First dated contact of the pair, if any is dated.
--   last_contact: Latest dated contact of the pair, if any is dated.
with event_of_mention as (
    select unnest(mention_ids) as mention_id, event_id, event_type, event_date, countries
    from events
),

officials_in_articles as (
    select distinct article_id, canonical as name, person_id, country, role
    from entity_mentions
    where kind = 'person' and person_id is not null
),

named as (
    select m.mention_id, e.event_id, e.event_type, e.event_date, e.countries,
        o.person_id, o.name, o.country, o.role
    from event_mentions as m
    join event_of_mention as e using (mention_id)
    join officials_in_articles as o
        on o.article_id = m.article_id
        and list_contains(m.persons, o.name)
    where list_contains(e.countries, o.country)
),

pairs as (
    select
        n.*,
        other.country as counterpart_country,
        c.person_id as counterpart_id,
        c.name as counterpart_name
    from named as n, unnest(n.countries) as other(country)
    left join named as c
        on c.mention_id = n.mention_id
        and c.country = other.country
    where other.country <> n.country
)

select
    person_id,
    any_value(name) as name,
    any_value(country) as country,
    list_sort(list(distinct role)) as offices,
    counterpart_country,
    counterpart_id,
    any_value(counterpart_name) as counterpart_name,
    count(distinct event_id) as contacts,
    count(distinct event_id) filter (where event_type = 'call') as calls,
    count(distinct event_id) filter (where event_type = 'visit') as visits,
    count(distinct event_id) filter (where event_type = 'meeting') as meetings,
    count(distinct event_id) filter (where event_type = 'message') as messages,
    min(event_date) as first_contact,
    max(event_date) as last_contact
from pairs
group by person_id, counterpart_country, counterpart_id
order by contacts desc, person_id, counterpart_country, counterpart_id nulls last
