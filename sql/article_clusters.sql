-- Articles that rewrite the same text (one agency statement retold by several outlets),
-- grouped into clusters, so that event counts can say how many independent reports there are.
-- Two articles are linked when at least 5 of the sampled 5-word fingerprints of the shorter
-- one, and at least 15% of them, also occur in the other. A fingerprint found in more than
-- 50 articles is a set formula, not evidence of copying, and is ignored. Rewrites of
-- rewrites join the same cluster; a cluster is named by its first article_id.
--
-- Columns:
--   article_id: The article (see cleaned_articles).
--   source_id: The landed record it came from.
--   cluster_id: The first article_id of its cluster; equal ids mean rewrites of one text.
--   cluster_size: Articles in the cluster (1 = no rewrite found).
--   max_containment: Highest share of fingerprints it shares with a linked article, or null.
with recursive

prints as (
    select article_id, source_id, fingerprint, n_fingerprints
    from article_fingerprints
    qualify count(*) over (partition by fingerprint) <= 50
),

pairs as (
    select
        a.article_id as article_a,
        b.article_id as article_b,
        count(*) as shared,
        count(*) / least(any_value(a.n_fingerprints), any_value(b.n_fingerprints)) as containment
    from prints as a
    join prints as b
        on a.fingerprint = b.fingerprint
        and a.article_id < b.article_id
    group by a.article_id, b.article_id
),

links as (
    select article_a, article_b, containment from pairs
    where shared >= 5 and containment >= 0.15
),

edges as (
    select article_a as article_id, article_b as other from links
    union all
    select article_b, article_a from links
),

articles as (
    select distinct article_id, source_id from article_fingerprints
),

-- every article reaches itself, then whatever its links reach
reach(article_id, member) as (
    select article_id, article_id from articles
    union
    select reach.article_id, edges.other
    from reach
    join edges on edges.article_id = reach.member
),

clusters as (
    select article_id, min(member) as cluster_id, count(*) as cluster_size
    from reach
    group by article_id
)

select
    articles.article_id,
    articles.source_id,
    clusters.cluster_id,
    clusters.cluster_size,
    (select max(containment) from links
     where articles.article_id in (links.article_a, links.article_b)) as max_containment
from articles
join clusters using (article_id)
order by cluster_id, article_id
