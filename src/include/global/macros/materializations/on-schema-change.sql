{#- on_schema_change for incremental models: compare the new rows' columns
    (the temp relation) with the existing table's and act per the setting.
    Returns the columns to insert, or none to mean "the target's columns". -#}

{% macro check_for_schema_changes(source_relation, target_relation) -%}
  {%- set source_columns = adapter.get_columns_in_relation(source_relation) -%}
  {%- set target_columns = adapter.get_columns_in_relation(target_relation) -%}
  {%- set target_names = target_columns | map(attribute='name') | map('lower') | list -%}
  {%- set source_names = source_columns | map(attribute='name') | map('lower') | list -%}
  {%- set add = [] -%}
  {%- set remove = [] -%}
  {%- set changed = [] -%}
  {%- for col in source_columns -%}
    {%- if col.name | lower not in target_names -%}{% do add.append(col) %}{%- endif -%}
  {%- endfor -%}
  {%- for col in target_columns -%}
    {%- if col.name | lower not in source_names -%}
      {% do remove.append(col) %}
    {%- else -%}
      {%- for s in source_columns if s.name | lower == col.name | lower and s.data_type | lower != col.data_type | lower -%}
        {% do changed.append({'column_name': col.name, 'new_type': s.data_type}) %}
      {%- endfor -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return({
    'schema_changed': (add | length > 0) or (remove | length > 0) or (changed | length > 0),
    'source_not_in_target': add,
    'target_not_in_source': remove,
    'source_columns': source_columns,
    'target_columns': target_columns,
    'new_target_types': changed
  }) }}
{%- endmacro %}

{% macro alter_relation_add_remove_columns(relation, add_columns=none, remove_columns=none) -%}
  {{ return(adapter.dispatch('alter_relation_add_remove_columns', 'dbt')(relation, add_columns, remove_columns)) }}
{%- endmacro %}

{% macro default__alter_relation_add_remove_columns(relation, add_columns, remove_columns) -%}
  {% for column in (add_columns or []) %}
    {% call statement('alter_add_' ~ loop.index) -%}
      alter table {{ relation }} add column {{ column.quoted }} {{ column.data_type }}
    {%- endcall %}
  {% endfor %}
  {% for column in (remove_columns or []) %}
    {% call statement('alter_drop_' ~ loop.index) -%}
      alter table {{ relation }} drop column {{ column.quoted }}
    {%- endcall %}
  {% endfor %}
{%- endmacro %}

{% macro alter_column_type(relation, column_name, new_column_type) -%}
  {{ return(adapter.dispatch('alter_column_type', 'dbt')(relation, column_name, new_column_type)) }}
{%- endmacro %}

{% macro default__alter_column_type(relation, column_name, new_column_type) -%}
  {% call statement('alter_column_type') -%}
    alter table {{ relation }} alter column {{ adapter.quote(column_name) }} type {{ new_column_type }}
  {%- endcall %}
{%- endmacro %}

{% macro process_schema_changes(on_schema_change, source_relation, target_relation) -%}
  {%- if on_schema_change == 'ignore' -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set changes = check_for_schema_changes(source_relation, target_relation) -%}
  {%- if not changes['schema_changed'] -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if on_schema_change == 'fail' -%}
    {{ exceptions.raise_compiler_error(
      "The source and target schemas on this incremental model are out of sync!\n"
      ~ "  They can be reconciled in several ways:\n"
      ~ "    - set the `on_schema_change` config to `append_new_columns` or `sync_all_columns`\n"
      ~ "    - Re-run the incremental model with `full_refresh: True` to update the target schema.\n"
      ~ "    - update the schema manually and re-run the process.\n\n"
      ~ "  Additional troubleshooting context:\n"
      ~ "     Source columns not in target: " ~ (changes['source_not_in_target'] | map(attribute='name') | list) ~ "\n"
      ~ "     Target columns not in source: " ~ (changes['target_not_in_source'] | map(attribute='name') | list) ~ "\n"
      ~ "     New column types: " ~ changes['new_target_types']
    ) }}
  {%- endif -%}
  {%- if on_schema_change == 'append_new_columns' -%}
    {% do alter_relation_add_remove_columns(target_relation, changes['source_not_in_target'], none) %}
  {%- elif on_schema_change == 'sync_all_columns' -%}
    {% do alter_relation_add_remove_columns(target_relation, changes['source_not_in_target'], changes['target_not_in_source']) %}
    {% for change in changes['new_target_types'] %}
      {% do alter_column_type(target_relation, change['column_name'], change['new_type']) %}
    {% endfor %}
  {%- endif -%}
  {#- Insert the new rows' own columns: after the alter they all exist in the target. -#}
  {{ return(changes['source_columns']) }}
{%- endmacro %}
