import { describe, expect, it } from 'vitest';
import { renderInProject } from '../support/render-in-project.js';

/** dbt's `exceptions.raise_contract_error` / `column_type_missing`, for user macros that override the contract check. */
describe('contract exceptions in the Jinja context', () => {
  it('raise_contract_error raises the mismatch table', () => {
    expect(() =>
      renderInProject("{{ exceptions.raise_contract_error([{'name': 'id', 'data_type': 'INTEGER'}], [{'name': 'id', 'data_type': 'VARCHAR'}]) }}"),
    ).toThrow(/This model has an enforced contract that failed\.[\s\S]*\| id +\| VARCHAR +\| INTEGER +\| data type mismatch/);
  });

  it('column_type_missing names the columns', () => {
    expect(() => renderInProject("{{ exceptions.column_type_missing(['a', 'b']) }}")).toThrow(
      "Contracted models require data_type to be defined for each column. Please ensure that the column name and data_type are defined within the YAML configuration for the ['a', 'b'] column(s).",
    );
  });
});
