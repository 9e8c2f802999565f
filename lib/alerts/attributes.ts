/**
 * SNS message attributes, so subscribers filter without reading the body
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html): name, type and value must not be empty;
 * String values are Unicode and count toward the 256 KB message size; a raw-delivery SQS subscription takes at most
 * 10 attributes (we send 7).
 */
import type { AlertAttributes, AlertInput, Severity, SnsAttribute } from './types'

/**
 * `environment` is every environment name, comma-separated, in input order: MWAA names are letters, digits, `-` and
 * `_` (https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html), so a comma never splits one, and a
 * filter on one environment can match the whole value or use a `prefix`. A one-environment role (the usual case)
 * matches by exact value.
 */
export function composeAttributes(input: AlertInput, severity: Severity): AlertAttributes {
  return {
    severity: attribute(severity),
    environment: attribute(input.environments.map((e) => e.name).join(',')),
    outcome: attribute(input.outcome),
    mode: attribute(input.mode),
    kind: attribute(input.kind),
    // Incident ids are `inc-` and hex digits (lib/incidents): a comma never splits one.
    incident: attribute(input.incident?.ids.join(',') ?? 'none'),
    incident_state: attribute(input.incident?.state ?? 'none'),
  }
}

/** The attributes as plain strings, for an adapter that takes `Record<string, string>`. */
export function attributeStrings(attributes: AlertAttributes): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, a.StringValue]))
}

function attribute(value: string): SnsAttribute {
  // No control characters (an SQS subscriber rejects most of them), never empty (SNS rejects an empty value).
  const clean = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').trim()
  return { DataType: 'String', StringValue: clean === '' ? 'none' : clean }
}
