{#-
  Warehouses built before staging views and seeds had schemas of their own still hold them in the
  default schema, where BI tools list them beside the marts. Drop those copies: relations named
  after a node of this project that now lives in another schema, or after a retired seed
  (var `retired_relations`). Nothing else in the default schema is touched: tables users made
  there themselves stay.
  Only a full refresh can meet such copies: zhibiao rebuilds in full whenever the project changes,
  so the runs that only bring documents skip the catalog query.
-#}
{% macro drop_moved_relations() %}
  {% if execute and flags.FULL_REFRESH %}
    {% set moved = var('retired_relations', []) | list %}
    {% for node in graph.nodes.values() %}
      {% if node.resource_type in ('model', 'seed') and node.schema != target.schema %}
        {% do moved.append(node.alias) %}
      {% endif %}
    {% endfor %}
    {% set found = run_query(
        "select table_name, table_type from information_schema.tables "
        ~ "where table_catalog = current_database() and table_schema = '" ~ target.schema ~ "'") %}
    {% for row in found.rows if row[0] in moved %}
      {% do run_query("drop " ~ ("view" if row[1] == "VIEW" else "table") ~ " if exists "
                      ~ adapter.quote(target.schema) ~ "." ~ adapter.quote(row[0])) %}
    {% endfor %}
  {% endif %}
{% endmacro %}
