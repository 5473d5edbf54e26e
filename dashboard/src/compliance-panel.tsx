import type { Report } from './api-client.js';
import { FieldList } from './confidence-panel.js';
import { formatTime } from './format.js';
import { asArray, asNumber, asRecord, asString } from './report-values.js';

const SEVERITY_ORDER: Record<string, number> = { block: 0, warn: 1, info: 2 };

/** Compliance findings (`compliance.findings` reports): the verdict, then each finding, blocking ones first. */
export function CompliancePanel({ reports }: { reports: readonly Report[] }) {
  return (
    <section aria-labelledby="compliance-heading" className="panel">
      <h2 id="compliance-heading">Compliance</h2>
      {reports.map((report) => {
        const findings = asArray(report.data.findings)
          .map((item) => asRecord(item) ?? {})
          .sort((a, b) => (SEVERITY_ORDER[asString(a.severity) ?? ''] ?? 3) - (SEVERITY_ORDER[asString(b.severity) ?? ''] ?? 3));
        const others = Object.entries(report.data).filter(([key]) => key !== 'verdict' && key !== 'findings');
        return (
          <article key={report.seq} className="report">
            <h3>
              Step {report.step} <span className="muted small">{formatTime(report.at)}</span>
            </h3>
            <p className="headline">
              verdict <span className={`badge verdict-${asString(report.data.verdict) ?? 'unknown'}`}>{asString(report.data.verdict) ?? 'unknown'}</span> — {findings.length} findings
            </p>
            {findings.length > 0 && (
              <table className="data">
                <caption className="visually-hidden">Compliance findings</caption>
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">Check</th>
                    <th scope="col">Finding</th>
                    <th scope="col">Where</th>
                  </tr>
                </thead>
                <tbody>
                  {findings.map((finding, index) => {
                    const line = asNumber(finding.line);
                    return (
                      <tr key={index}>
                        <td>
                          <span className={`badge severity-${asString(finding.severity) ?? ''}`}>{asString(finding.severity) ?? ''}</span>
                        </td>
                        <td>
                          {asString(finding.check) ?? ''}
                          {finding.rule !== undefined && <span className="muted"> / {asString(finding.rule)}</span>}
                        </td>
                        <td>{asString(finding.message) ?? asString(finding.reason) ?? ''}</td>
                        <td>{asString(finding.file) ? `${asString(finding.file) ?? ''}${line !== undefined ? `:${line}` : ''}` : ''}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {others.length > 0 && <FieldList fields={others} />}
          </article>
        );
      })}
    </section>
  );
}
