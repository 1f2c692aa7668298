-- Every target against its outcome: one row per region, canonical indicator, metric and year.
-- The rules that pick a figure and judge it are in the model's YAML (doc target_rule).

with facts as (
    select
        fact.* replace (
            -- a rate in % is one cell whether the text read it as a level or a share (失业率4.5%以内 / 4.1%)
            case when fact.unit = '%' and fact.metric in ('level', 'share') and indicator.target_metric in ('level', 'share')
                 then indicator.target_metric else fact.metric end as metric
        ),
        indicator.better
    from {{ ref('fact_indicator') }} as fact
    inner join {{ ref('dim_indicator') }} as indicator using (indicator_code)
    where fact.region_code is not null and fact.period_year is not null
    {% if is_incremental() %}
    -- only the regions this run changed: their old rows were deleted by the pre-hook
    and fact.region_code in ({{ changed_regions() }})
    {% endif %}
),

plausible as (
    -- Figures outside the indicator's plausible range (seed indicator_ranges) are not candidates:
    -- a five-year total of new jobs, a poverty line's rise.
    select facts.*
    from facts
    left join {{ ref('indicator_ranges') }} as ranges using (indicator_code, metric)
    where ranges.indicator_code is null or facts.value between ranges.min_value and ranges.max_value
),

targets as (
    -- A target is set in the report of its own year. Where several compete, the one in a sentence
    -- that names a goal (主要预期目标) wins, then the first in the document.
    select
        *,
        row_number() over cell_order as pick,
        count(*) over cell as candidates
    from plausible
    where is_target and period_year = report_year
    window
        cell as (partition by region_code, indicator_code, metric, period_year),
        cell_order as (partition by region_code, indicator_code, metric, period_year
                       order by (sentence like '%目标%') desc, document_id, sentence_index, mention_index)
),

outcomes as (
    -- An outcome is reported in a later year's review. Where several compete, the nearest later
    -- report wins (the next year's first figure), then the first mention in it.
    select
        *,
        row_number() over cell_order as pick,
        count(*) over cell as candidates
    from plausible
    where not is_target and report_year > period_year
    window
        cell as (partition by region_code, indicator_code, metric, period_year),
        cell_order as (partition by region_code, indicator_code, metric, period_year
                       order by report_year, document_id, sentence_index, mention_index)
),

stated_absent as (
    -- 我们没有提出全年经济增速具体目标: the report says outright it sets no target.
    select distinct
        documents.region_code,
        trim(codes.indicator_code) as indicator_code,
        indicator.target_metric as metric,
        documents.report_year as year
    from {{ ref('dim_document') }} as documents
    cross join unnest(string_split(documents.targets_not_set, ',')) as codes(indicator_code)
    inner join {{ ref('dim_indicator') }} as indicator on indicator.indicator_code = trim(codes.indicator_code)
    where documents.targets_not_set is not null
      and documents.region_code is not null
      and documents.report_year is not null
      {% if is_incremental() %}and documents.region_code in ({{ changed_regions() }}){% endif %}
),

cells as (
    select region_code, indicator_code, metric, period_year as year from targets where pick = 1
    union
    select region_code, indicator_code, metric, period_year as year from outcomes where pick = 1
    union
    select region_code, indicator_code, metric, year from stated_absent
),

joined as (
    select
        cells.region_code,
        cells.indicator_code,
        cells.metric,
        cells.year,
        indicator.better,
        target.value as target_value,
        target.value_high as target_value_high,
        target.qualifier as target_qualifier,
        target.mention_text as target_mention_text,
        target.document_id as target_document_id,
        target.sentence as target_sentence,
        coalesce(target.candidates, 0) as target_candidates,
        outcome.value as outcome_value,
        outcome.mention_text as outcome_mention_text,
        outcome.document_id as outcome_document_id,
        outcome.report_year as outcome_report_year,
        outcome.sentence as outcome_sentence,
        coalesce(outcome.candidates, 0) as outcome_candidates,
        stated_absent.indicator_code is not null as target_absent_stated,
        case
            -- 下降3.4%以上 (-3.4, ge) bounds the size of a fall: at most -3.4
            when target.qualifier in ('le', 'lt') then case when target.value < 0 then 'floor' else 'ceiling' end
            when target.qualifier in ('ge', 'gt') then case when target.value < 0 then 'ceiling' else 'floor' end
            when indicator.better = 'lower' then 'ceiling'
            else 'floor'
        end as judged_as,
        case when target.qualifier = 'approx'
            then {{ var('approx_tolerance') }} * abs(target.value) else 0 end as tolerance
    from cells
    inner join {{ ref('dim_indicator') }} as indicator using (indicator_code)
    left join targets as target
        on target.pick = 1
        and target.region_code = cells.region_code and target.indicator_code = cells.indicator_code
        and target.metric = cells.metric and target.period_year = cells.year
    left join outcomes as outcome
        on outcome.pick = 1
        and outcome.region_code = cells.region_code and outcome.indicator_code = cells.indicator_code
        and outcome.metric = cells.metric and outcome.period_year = cells.year
    left join stated_absent
        on stated_absent.region_code = cells.region_code and stated_absent.indicator_code = cells.indicator_code
        and stated_absent.metric = cells.metric and stated_absent.year = cells.year
),

judged as (
    select
        *,
        -- the bound the outcome is measured from: the high end of a range judged as a ceiling
        case when judged_as = 'ceiling' and target_qualifier = 'range' then target_value_high
             else target_value end as target_reference
    from joined
),

final as (
    select
        md5(judged.region_code || ':' || judged.indicator_code || ':' || judged.metric || ':' || cast(judged.year as varchar))
            as target_outcome_key,
        judged.region_code,
        region.full_name as region,
        judged.indicator_code,
        judged.metric,
        judged.year,
        judged.target_value,
        judged.target_value_high,
        judged.target_qualifier,
        judged.target_mention_text,
        judged.target_document_id,
        judged.target_sentence,
        judged.target_candidates,
        judged.outcome_value,
        judged.outcome_mention_text,
        judged.outcome_document_id,
        judged.outcome_report_year,
        judged.outcome_sentence,
        judged.outcome_candidates,
        judged.target_absent_stated,
        judged.better,
        case when judged.target_value is not null then judged.judged_as end as judged_as,
        judged.outcome_value - judged.target_reference as gap,
        case
            when judged.target_value is null then 'no_target'
            when judged.outcome_value is null then 'no_outcome_yet'
            when judged.judged_as = 'floor' and judged.outcome_value >= judged.target_reference - judged.tolerance - 1e-9
                then 'met'
            when judged.judged_as = 'ceiling' and judged.outcome_value <= judged.target_reference + judged.tolerance + 1e-9
                then 'met'
            else 'missed'
        end as status
    from judged
    left join {{ ref('dim_region') }} as region using (region_code)
)

select * from final
