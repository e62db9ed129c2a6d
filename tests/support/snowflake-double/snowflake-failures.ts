/**
 * Snowflake's error codes, SQL states and messages, as the double sends them,
 * and the mapping of DuckDB's errors onto them.
 */

export interface SnowflakeFailure {
  code: string;
  sqlState: string;
  message: string;
}

export const BAD_CREDENTIALS: SnowflakeFailure = {
  code: '390100',
  sqlState: '08004',
  message: 'Incorrect username or password was specified.',
};

export const JWT_INVALID: SnowflakeFailure = { code: '390144', sqlState: '08004', message: 'JWT token is invalid.' };

export const NO_WAREHOUSE: SnowflakeFailure = {
  code: '000606',
  sqlState: '57P03',
  message: "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
};

export function warehouseSuspended(name: string): SnowflakeFailure {
  return {
    code: '000608',
    sqlState: '57P03',
    message: `Warehouse '${name}' is suspended.  Use 'alter warehouse ${name} resume;' command if you need to use it again.`,
  };
}

export const CANCELED: SnowflakeFailure = { code: '000604', sqlState: '57014', message: 'SQL execution canceled' };

export function statementCount(actual: number): SnowflakeFailure {
  return {
    code: '000008',
    sqlState: '0A000',
    message: `Actual statement count ${actual} did not match the desired statement count 1.`,
  };
}

export function objectMissing(name: string): SnowflakeFailure {
  return { code: '002003', sqlState: '42S02', message: `SQL compilation error:\nObject '${name}' does not exist or not authorized.` };
}

export const SCHEMA_MISSING: SnowflakeFailure = {
  code: '002043',
  sqlState: '02000',
  message: 'SQL compilation error:\nObject does not exist, or operation cannot be performed.',
};

/** Map a DuckDB error message to the Snowflake error a similar statement would raise. */
export function fromDuckDBError(message: string): SnowflakeFailure {
  let m: RegExpExecArray | null;
  if ((m = /(?:Table|View|Table Function) with name "?([^"\s!]+)"? does not exist/i.exec(message))) {
    return objectMissing(m[1]!);
  }
  if ((m = /Referenced column "?([^"\s]+)"? not found/i.exec(message))) {
    return { code: '000904', sqlState: '42000', message: `SQL compilation error: error line 1 at position 0\ninvalid identifier '${m[1]}'` };
  }
  if (/^Parser Error/i.test(message)) {
    return { code: '001003', sqlState: '42000', message: `SQL compilation error:\nsyntax error: ${message.replace(/^Parser Error:\s*/i, '')}` };
  }
  if (/^Conversion Error/i.test(message)) {
    return { code: '100038', sqlState: '22018', message: message.replace(/^Conversion Error:\s*/i, '') };
  }
  if (/^(Catalog|Binder) Error/i.test(message)) {
    return { code: '002003', sqlState: '42S02', message: `SQL compilation error:\n${message.replace(/^\w+ Error:\s*/i, '')}` };
  }
  if (/^Constraint Error/i.test(message)) {
    return { code: '100072', sqlState: '22000', message: message.replace(/^Constraint Error:\s*/i, '') };
  }
  return { code: '000603', sqlState: 'XX000', message: `SQL execution internal error: ${message}` };
}
