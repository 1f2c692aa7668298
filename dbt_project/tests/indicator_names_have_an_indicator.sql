-- Every name in sources/rules/indicator_names.csv maps to an indicator of the seed.
select names.name, names.indicator_code
from {{ rules_table('indicator_names') }} as names
left join {{ ref('indicators') }} as indicators using (indicator_code)
where indicators.indicator_code is null
