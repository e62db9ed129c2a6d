{#- external on DuckDB (dbt-duckdb's behaviour, our own Jinja): the model is
    written to Parquet, CSV or JSON files, and the relation is a view over
    them. Configs: `location` (default `<external_root>/<name>.<format>`,
    a directory when partitioned; external_root from the profile, '.' when
    unset), `format` (parquet, csv, json; else from the location's
    extension, else parquet), `partition_by`, `delimiter`, `options` (more
    COPY options), `parquet_read_options` / `csv_read_options` /
    `json_read_options` (how the view reads the files).
    The location is checked before anything runs: one that cannot be
    written is a located error, and the previous view and files stay. The
    rows are staged in a temporary table, copied out, and the view replaced
    in the model's transaction. An empty result is written as one row of
    nulls (so the files carry the columns) that the view filters out. -#}

{% macro tsdbt_external_formats() -%}
  {{ return(['parquet', 'csv', 'json']) }}
{%- endmacro %}

{#- The COPY options as a dict: `options`, then the top-level format,
    delimiter and partition_by configs. -#}
{% macro tsdbt_external_options(config) -%}
  {%- set given = config.get('options') or {} -%}
  {%- if given is not mapping -%}
    {{ exceptions.raise_compiler_error("The options config of an external model must be a dictionary, got " ~ given) }}
  {%- endif -%}
  {%- set options = {} -%}
  {%- do options.update(given) -%}
  {%- for key in ['format', 'delimiter', 'partition_by'] if config.get(key) -%}
    {%- do options.update({key: config.get(key)}) -%}
  {%- endfor -%}
  {%- if options.get('partition_by') is not none and options.partition_by is not string -%}
    {%- do options.update({'partition_by': options.partition_by | join(', ')}) -%}
  {%- endif -%}
  {{ return(options) }}
{%- endmacro %}

{% macro tsdbt_external_location(relation, config, options) -%}
  {%- set root = adapter.external_root() | string -%}
  {%- if config.get('location') -%}
    {{ return(config.get('location') | string) }}
  {%- elif options.get('partition_by') is not none -%}
    {{ return(root ~ '/' ~ relation.identifier) }}
  {%- else -%}
    {{ return(root ~ '/' ~ relation.identifier ~ '.' ~ (options.get('format') or 'parquet')) }}
  {%- endif -%}
{%- endmacro %}

{#- The format of the files: the format option, else the location's
    extension, else csv when a delimiter is set, else parquet. -#}
{% macro tsdbt_external_format(location, options) -%}
  {%- set tail = location.split('/')[-1] -%}
  {%- set ext = tail.split('.')[-1] | lower if '.' in tail else '' -%}
  {%- set format = (options.get('format') or (ext if ext in tsdbt_external_formats() else ('csv' if options.get('delimiter') else 'parquet'))) | lower -%}
  {%- if format not in tsdbt_external_formats() -%}
    {{ exceptions.raise_compiler_error("Invalid format: " ~ format ~ ". Allowed formats are: " ~ tsdbt_external_formats() | join(', ')) }}
  {%- endif -%}
  {{ return(format) }}
{%- endmacro %}

{#- `FORMAT parquet, PARTITION_BY (a, b), HEADER 1, DELIMITER '|'`: string
    options that DuckDB takes as literals are quoted; a partitioned write
    replaces the directory's files (OVERWRITE) unless told otherwise. -#}
{% macro tsdbt_external_write_options(options, format) -%}
  {%- set opts = {} -%}
  {%- do opts.update(options) -%}
  {%- do opts.update({'format': format}) -%}
  {%- if format == 'csv' and 'header' not in opts -%}{%- do opts.update({'header': 1}) -%}{%- endif -%}
  {%- if opts.get('partition_by') is not none -%}
    {%- set by = opts.partition_by | string -%}
    {%- do opts.update({'partition_by': by if by.startswith('(') else '(' ~ by ~ ')'}) -%}
    {%- if 'overwrite' not in opts and 'overwrite_or_ignore' not in opts -%}{%- do opts.update({'overwrite': 'true'}) -%}{%- endif -%}
  {%- endif -%}
  {%- for key, value in opts.items() -%}
    {%- set text = value | string -%}
    {{ key }} {{ ("'" ~ text | replace("'", "''") ~ "'") if key | lower in ['delimiter', 'quote', 'escape', 'null'] and not text.startswith("'") else text }}{{ ', ' if not loop.last }}
  {%- endfor -%}
{%- endmacro %}

{#- The files the view reads: the location, or every file under it when partitioned (one directory level per partition column). -#}
{% macro tsdbt_external_read_location(location, options, format) -%}
  {%- if options.get('partition_by') is not none -%}
    {%- set depth = (options.partition_by | string).strip('()').split(',') | length -%}
    {{ return(location ~ '/*' * depth ~ '/*.' ~ format) }}
  {%- endif -%}
  {{ return(location) }}
{%- endmacro %}

{% macro tsdbt_external_reader(read_location, format, config) -%}
  {%- set defaults = {'parquet': {'union_by_name': false}, 'csv': {'auto_detect': true}, 'json': {'auto_detect': true}} -%}
  {%- set reader_options = config.get(format ~ '_read_options') or defaults[format] -%}
  read_{{ format }}('{{ read_location | replace("'", "''") }}'
  {%- for key, value in reader_options.items() -%}
    , {{ key }} = {{ ("'" ~ value | replace("'", "''") ~ "'") if value is string else value }}
  {%- endfor -%})
{%- endmacro %}

{% materialization external, adapter='duckdb' %}
  {%- set options = tsdbt_external_options(config) -%}
  {%- set location = tsdbt_external_location(this, config, options) -%}
  {%- set format = tsdbt_external_format(location, options) -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set staging_relation = make_temp_relation(this) -%}
  {%- do adapter.tsdbt_check_external_location(location, options.get('partition_by') is not none, model['original_file_path']) -%}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% call statement('stage', auto_begin=true) -%}
    {{ create_table_as(true, staging_relation, sql) }}
  {%- endcall %}
  {%- set columns = adapter.get_columns_in_relation(staging_relation) -%}
  {%- set empty = (run_query('select count(*) from ' ~ staging_relation).rows[0][0]) == 0 -%}
  {% if empty %}
    {% call statement('empty_marker') -%}
      insert into {{ staging_relation }} values ({% for c in columns %}null{{ ', ' if not loop.last }}{% endfor %})
    {%- endcall %}
  {% endif %}
  {% call statement('write_files') -%}
    copy {{ staging_relation }} to '{{ location | replace("'", "''") }}' ({{ tsdbt_external_write_options(options, format) }})
  {%- endcall %}

  {% if existing_relation is not none and existing_relation.type != 'view' %}
    {% call statement('drop_other_type') -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }} cascade
    {%- endcall %}
    {% do adapter.cache_dropped(existing_relation) %}
  {% endif %}
  {% call statement('main') -%}
    create or replace view {{ target_relation }} as (
      select * from {{ tsdbt_external_reader(tsdbt_external_read_location(location, options, format), format, config) }}
      {%- if empty %}
      where {% for c in columns %}{{ adapter.quote(c.name) }} is not null{{ ' and ' if not loop.last }}{% endfor %}
      {%- endif %}
    )
  {%- endcall %}
  {% do adapter.cache_added(target_relation) %}

  {% do apply_grants(target_relation, config.get('grants'), should_revoke=false) %}
  {% do persist_docs(target_relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(staging_relation) }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
