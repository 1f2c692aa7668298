{#- A model's grain: no two rows share these columns' values. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_in_cell
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
