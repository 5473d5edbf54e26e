import type { Report } from './api-client.js';
import { formatTime } from './format.js';
import { asArray, asNumber, asRecord, asString, pick, show, type Json } from './report-values.js';

/**
 * The confidence decision (`confidence.decision` reports, from the `confidence/gate` step): the action,
 * the probability and level against the campaign's thresholds, the reasons and hard gates, and each
 * signal's value, weight and contribution (a signed bar), weightiest first. Fields it does not know are
 * listed as they are, so a newer decision still shows everything.
 */
export function ConfidencePanel({ reports }: { reports: readonly Report[] }) {
  return (
    <section aria-labelledby="confidence-heading" className="panel">
      <h2 id="confidence-heading">Confidence</h2>
      {reports.map((report) => (
        <ConfidenceReport key={report.seq} report={report} />
      ))}
    </section>
  );
}

const KNOWN = ['decision', 'action', 'verdict', 'probability', 'confidence', 'score', 'level', 'reasons', 'signals', 'contributions', 'factors', 'gates', 'policy', 'model', 'at', 'logOdds', 'bias'];

function ConfidenceReport({ report }: { report: Report }) {
  const data = report.data;
  const decision = asString(pick(data, ['decision', 'action', 'verdict']));
  const probability = asNumber(pick(data, ['probability', 'confidence', 'score']));
  const level = asString(data.level);
  const reasons = asArray(data.reasons).map(show);
  const signals = signalRows(pick(data, ['signals', 'contributions', 'factors'])).sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0));
  const gates = asArray(data.gates).map((gate) => asRecord(gate) ?? {});
  const policy = asRecord(data.policy);
  const model = asRecord(data.model);
  const others = Object.entries(data).filter(([key]) => !KNOWN.includes(key));
  return (
    <article className="report">
      <h3>
        Step {report.step} <span className="muted small">{formatTime(report.at)}</span>
      </h3>
      <p className="headline">
        {decision && <span className={`badge decision-${decision}`}>{decision}</span>} {probability !== undefined && <span>probability {probability.toFixed(3)}</span>} {level && <span>level {level}</span>}
        {policy && <span className="muted">{`(auto-merge ≥ ${show(policy.autoMerge)}, needs-human ≥ ${show(policy.needsHuman)})`}</span>}
        {model && <span className="muted">{`weights: ${show(model.source)}${asNumber(model.outcomes) ? ` from ${show(model.outcomes)} outcomes` : ''}`}</span>}
      </p>
      {gates.length > 0 && (
        <ul className="gates">
          {gates.map((gate, index) => (
            <li key={index}>
              <strong>gate {show(gate.signal)}</strong> → {show(gate.action)}: {show(gate.reason)}
            </li>
          ))}
        </ul>
      )}
      {reasons.length > 0 && (
        <ul>
          {reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
      {signals.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Signals and their contributions</caption>
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col" className="number">
                Value
              </th>
              <th scope="col" className="number">
                Weight
              </th>
              <th scope="col">Contribution</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {signals.map((signal, index) => (
              <tr key={`${index}-${signal.name}`} className={signal.available ? '' : 'muted'}>
                <th scope="row">{signal.name}</th>
                <td className="number">{signal.available ? show(signal.value) : 'no evidence'}</td>
                <td className="number">{show(signal.weight)}</td>
                <td>
                  <ContributionBar value={signal.contribution} />
                </td>
                <td>{signal.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && <FieldList fields={others} />}
    </article>
  );
}

interface Signal {
  name: string;
  available: boolean;
  weight: unknown;
  value: unknown;
  contribution: number | undefined;
  why: string;
}

/** Signals as an array of objects or as a record of name → object or number. */
function signalRows(value: unknown): Signal[] {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [asString(asRecord(item)?.id) ?? asString(asRecord(item)?.name) ?? asString(asRecord(item)?.signal) ?? `signal ${index + 1}`, item])
    : Object.entries(asRecord(value) ?? {});
  return entries.map(([name, item]) => {
    const record: Json = asRecord(item) ?? { value: item };
    return {
      name,
      available: record.available !== false,
      weight: record.weight,
      value: pick(record, ['value', 'observed', 'evidence']),
      contribution: asNumber(pick(record, ['contribution', 'logOdds', 'delta'])) ?? (typeof item === 'number' ? item : undefined),
      why: show(pick(record, ['reason', 'explanation', 'why', 'detail'])),
    };
  });
}

function ContributionBar({ value }: { value: number | undefined }) {
  if (value === undefined) return null;
  const width = Math.min(50, Math.abs(value) * 50);
  return (
    <span className="contribution">
      <svg viewBox="0 0 100 10" width="100" height="10" aria-hidden="true">
        <line x1="50" x2="50" y1="0" y2="10" className="axis-line" />
        <rect x={value >= 0 ? 50 : 50 - width} y="1" width={width} height="8" className={value >= 0 ? 'positive' : 'negative'} />
      </svg>
      <span>{value >= 0 ? `+${show(value)}` : show(value)}</span>
    </span>
  );
}

export function FieldList({ fields }: { fields: readonly [string, unknown][] }) {
  return (
    <dl className="fields">
      {fields.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'object' && value !== null ? <pre className="json">{JSON.stringify(value, null, 2)}</pre> : show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
