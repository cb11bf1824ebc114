// --format html: one self-contained page (no network: inline CSS, inline SVG, a little inline JS):
// summary, findings table filtered by severity and rule, and a ladder diagram per bulk connection and
// per client session (lanes = requestor/server or client/servers, as in RFC 5460 §6.5.1), with the
// evidence messages of findings highlighted. Ladders are bounded (report.ladders, report.ladder-messages).
import type { Finding, Report } from '../engine/types.js';
import type { Ladder, LadderMessage } from './details.js';
import type { Reporter } from './types.js';
import { captureTimeText, escapeXml as esc, failsRun, formatXid, gradeOf, scopeOf, statsLine, wiresharkFilter } from './common.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header,section{padding:12px 24px}header{background:#1d2330;color:#fff}header h1{margin:0;font-size:20px}
.meta{color:#c4cad6;margin:4px 0 0}h2{font-size:17px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}.num{text-align:right}code{font:12px ui-monospace,monospace;background:#f0f2f5;padding:1px 3px}
.g-error{color:#b3261e;font-weight:600}.g-warning{color:#a15c00;font-weight:600}.g-info{color:#1d5fb3}.g-inconclusive{color:#5d6673}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600}.fail{background:#fde7e6;color:#b3261e}.pass{background:#e5f4e8;color:#1b6e2d}
.filters{margin:8px 0}.filters label{margin-right:16px}tr.finding[hidden]{display:none}
figure.ladder{margin:16px 0;background:#fff;border:1px solid #dde1e8;padding:8px;overflow-x:auto}figcaption{font-weight:600;margin-bottom:4px}
svg text{font:12px ui-monospace,monospace;fill:#1d2330}svg .lane-name{font-weight:600}svg .lane-line{stroke:#9aa3b2;stroke-width:2}
svg .msg line{stroke:#3b4a63;stroke-width:1.5}svg .msg.multicast line{stroke-dasharray:6 4}
svg .lane-duid{font-size:10px;fill:#5d6673}svg .msg.hl line{stroke-width:3}svg .msg.hl text.label{font-weight:700}
svg .hl-error line{stroke:#c62828}svg .hl-error text.label{fill:#c62828}svg .hl-warning line{stroke:#c77700}svg .hl-warning text.label{fill:#a15c00}
svg .hl-info line{stroke:#1d5fb3}svg .hl-info text.label{fill:#1d5fb3}
svg .msg.inc line{stroke:#6d7685;stroke-width:2.5;stroke-dasharray:2 3}svg .time{fill:#5d6673}
.note{color:#5d6673}`;

const SCRIPT = `
(function(){
  var sev=document.getElementById('f-sev'),rule=document.getElementById('f-rule'),count=document.getElementById('f-count');
  var rows=[].slice.call(document.querySelectorAll('tr.finding'));
  function apply(){
    var n=0;
    rows.forEach(function(r){
      var show=(!sev.value||r.getAttribute('data-grade')===sev.value)&&(!rule.value||r.getAttribute('data-rule')===rule.value);
      if(show){r.removeAttribute('hidden');n++;}else{r.setAttribute('hidden','');}
    });
    count.textContent=n+' of '+rows.length+' shown';
  }
  var h=new URLSearchParams(location.hash.slice(1));
  if(h.get('severity'))sev.value=h.get('severity');
  if(h.get('rule'))rule.value=h.get('rule');
  sev.addEventListener('change',apply);rule.addEventListener('change',apply);
  apply();
  document.body.setAttribute('data-ready','1');
})();`;

const ROW = 30;
const TOP = 56;
const LEFT = 170;
const GAP = 250;

const MARKERS: Array<[string, string]> = [['arrow', '#3b4a63'], ['arrow-error', '#c62828'], ['arrow-warning', '#c77700'], ['arrow-info', '#1d5fb3']];

function laneX(i: number): number {
  return LEFT + 40 + i * GAP;
}

/** Evidence frames of one input: frame → rule ids, and whether any of them is a violation. */
interface Evidence { rules: Set<string>; violation: boolean; worst: number }
const RANK = { info: 1, warning: 2, error: 3 } as const;
const WORST = ['', 'info', 'warning', 'error'] as const;

function evidenceIndex(findings: Finding[]): Map<string, Evidence> {
  const idx = new Map<string, Evidence>();
  for (const f of findings) {
    for (const fr of f.frames) {
      const k = `${f.input}:${fr}`;
      let e = idx.get(k);
      if (!e) idx.set(k, (e = { rules: new Set(), violation: false, worst: 0 }));
      e.rules.add(f.ruleId);
      if (f.verdict === 'violation') {
        e.violation = true;
        e.worst = Math.max(e.worst, RANK[f.severity]);
      }
    }
  }
  return idx;
}

function renderMessage(m: LadderMessage, row: number, ladder: Ladder, t0: number, idx: ReturnType<typeof evidenceIndex>): string {
  const y = TOP + row * ROW + 20;
  const hits = m.frames.map((fr) => idx.get(`${ladder.input}:${fr}`)).filter((e) => e !== undefined);
  const rules = [...new Set(hits.flatMap((e) => [...e!.rules]))].sort();
  const cls = ['msg'];
  const worst = Math.max(0, ...hits.map((e) => e!.worst));
  if (worst > 0) cls.push('hl', `hl-${WORST[worst]}`);
  else if (hits.length) cls.push('inc');
  const to = m.to < 0 ? ladder.lanes.length - 1 : m.to;
  if (m.to < 0) cls.push('multicast');
  const x1 = laneX(m.from);
  const x2 = laneX(to);
  const dir = x2 >= x1 ? 1 : -1;
  const xid = m.xid !== undefined ? ` xid ${formatXid(m.xid)}` : '';
  const label = `${m.name}${xid}${m.to < 0 ? ' (to all servers)' : ''}`;
  const title = `frame ${m.frame} · ${captureTimeText(m.time)} · ${label}${rules.length ? ` · ${rules.join(', ')}` : ''}`;
  return `<g class="${cls.join(' ')}" data-frame="${m.frame}" data-from="${m.from}" data-to="${m.to}" data-type="${esc(m.name)}"` +
    `${m.xid !== undefined ? ` data-xid="${m.xid}"` : ''}${rules.length ? ` data-rules="${esc(rules.join(' '))}"` : ''}>` +
    `<title>${esc(title)}</title>` +
    `<text class="time" x="8" y="${y + 4}">+${(m.time - t0).toFixed(3)} s</text>` +
    `<text class="frame" x="${LEFT - 60}" y="${y + 4}">#${m.frame}</text>` +
    `<line x1="${x1}" y1="${y}" x2="${x2 - dir * 6}" y2="${y}" marker-end="url(#arrow${worst > 0 ? `-${WORST[worst]}` : ''})"/>` +
    `<text class="label" x="${(x1 + x2) / 2}" y="${y - 5}" text-anchor="middle">${esc(label)}</text></g>`;
}

function renderLadder(ladder: Ladder, n: number, idx: ReturnType<typeof evidenceIndex>, multi: boolean, report: Report): string {
  const width = laneX(ladder.lanes.length - 1) + GAP / 2 + 40;
  const height = TOP + ladder.messages.length * ROW + 30;
  const t0 = ladder.messages.length ? ladder.messages[0].time : 0;
  const lanes = ladder.lanes.map((name, i) => {
    const cut = name.indexOf(' (DUID ');
    const head = cut < 0 ? name : name.slice(0, cut);
    const duid = cut < 0 ? '' : name.slice(cut + 2, -1);
    return `<g class="lane" data-lane="${i}"><title>${esc(name)}</title><text class="lane-name" x="${laneX(i)}" y="${duid ? 16 : 24}" text-anchor="middle">${esc(head)}</text>` +
    (duid ? `<text class="lane-duid" x="${laneX(i)}" y="30" text-anchor="middle">${esc(duid)}</text>` : '') +
    `<line class="lane-line" x1="${laneX(i)}" y1="38" x2="${laneX(i)}" y2="${height - 10}"/></g>`;
  }).join('');
  const msgs = ladder.messages.map((m, row) => renderMessage(m, row, ladder, t0, idx)).join('');
  const where = multi ? ` <span class="note">(${esc(report.inputs[ladder.input]?.path ?? '')})</span>` : '';
  const start = ladder.messages.length ? ` · starts ${captureTimeText(t0)}` : '';
  return `<figure class="ladder" id="ladder-${n}" data-kind="${ladder.kind}" data-input="${ladder.input}" data-scope="${esc(ladder.scope)}">` +
    `<figcaption>${esc(ladder.title)}${where}<span class="note">${esc(start)}</span></figcaption>` +
    `<svg class="ladder-svg" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs>${MARKERS.map(([id, colour]) => `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" ` +
      `markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0L10,5L0,10z" fill="${colour}"/></marker>`).join('')}</defs>` +
    `${lanes}${msgs}</svg>` +
    (ladder.omitted ? `<p class="note omitted">${ladder.omitted} more message${ladder.omitted === 1 ? '' : 's'} not drawn (report.ladder-messages).</p>` : '') +
    `</figure>`;
}

export const htmlReporter: Reporter = (report, ctx) => {
  const s = report.stats;
  const sum = report.summary;
  const failing = report.findings.filter((f) => failsRun(f, ctx.failOn)).length;
  const multi = report.inputs.length > 1;
  const rules = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  const parts: string[] = [];
  parts.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>dhcp6audit report${report.inputs.length === 1 ? ` · ${esc(report.inputs[0].path)}` : ''}</title>`,
    `<style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>dhcp6audit report</h1><p class="meta">dhcp6audit ${esc(report.tool.version)} · profile ${esc(report.profile)} · fail-on ${ctx.failOn}</p></header>`);

  parts.push('<section id="summary"><h2>Summary</h2>',
    `<p><span class="verdict ${failing ? 'fail' : 'pass'}" id="verdict">${failing ? `${failing} violation${failing === 1 ? '' : 's'} at or above ${ctx.failOn}` : `no violation at or above ${ctx.failOn}`}</span></p>`,
    '<table id="inputs"><thead><tr><th>Input</th><th>Format</th><th class="num">Frames</th></tr></thead><tbody>',
    ...report.inputs.map((i) => `<tr><td><code>${esc(i.path)}</code>${i.error ? ` <span class="g-error">${esc(i.error)}</span>` : ''}</td><td>${esc(i.format)}</td><td class="num">${i.frames}</td></tr>`),
    '</tbody></table>',
    `<p>${esc(statsLine(s))}</p>`,
    '<table id="counts"><thead><tr><th>Errors</th><th>Warnings</th><th>Info</th><th>Inconclusive</th></tr></thead><tbody>',
    `<tr><td class="num g-error" data-count="error">${sum.error}</td><td class="num g-warning" data-count="warning">${sum.warning}</td>` +
    `<td class="num g-info" data-count="info">${sum.info}</td><td class="num g-inconclusive" data-count="inconclusive">${sum.inconclusive}</td></tr>`,
    '</tbody></table></section>');

  parts.push('<section id="findings"><h2>Findings</h2>');
  parts.push('<div class="filters"><label>Severity <select id="f-sev"><option value="">all</option>' +
    ['error', 'warning', 'info', 'inconclusive'].map((g) => `<option value="${g}">${g}</option>`).join('') + '</select></label>' +
    `<label>Rule <select id="f-rule"><option value="">all</option>${rules.map((r) => `<option value="${esc(r)}">${esc(r)}</option>`).join('')}</select></label>` +
    '<span id="f-count" class="note"></span></div>');
  parts.push('<table id="findings-table"><thead><tr><th>Grade</th><th>Rule</th><th>Level</th>' + (multi ? '<th>Input</th>' : '') +
    '<th>Connection / client</th><th>Xid</th><th>Frames</th><th>Section</th><th>Finding</th></tr></thead><tbody>');
  for (const f of report.findings) {
    const g = gradeOf(f);
    parts.push(`<tr class="finding" data-grade="${g}" data-rule="${esc(f.ruleId)}" data-input="${f.input}">` +
      `<td class="g-${g}">${g}</td><td><code>${esc(f.ruleId)}</code></td><td>${esc(f.level)}</td>` +
      (multi ? `<td>${esc(report.inputs[f.input]?.path ?? '')}</td>` : '') +
      `<td>${esc(scopeOf(f))}</td><td>${esc(formatXid(f.xid))}</td>` +
      `<td>${f.frames.join(', ')}${f.frames.length ? `<br><code>${esc(wiresharkFilter(f.frames))}</code>` : ''}</td>` +
      `<td>${esc(`${f.spec.doc} §${f.spec.section}`)}</td><td>${esc(f.message)}</td></tr>`);
  }
  parts.push('</tbody></table>');
  if (report.findings.length === 0) parts.push('<p class="note">No findings.</p>');
  const capped = Object.entries(report.suppressed).filter(([, n]) => n > 0);
  if (capped.length) parts.push(`<p class="note">More findings over the per-rule cap: ${esc(capped.map(([id, n]) => `${id} ${n}`).join(', '))}.</p>`);
  parts.push('</section>');

  const details = ctx.details;
  parts.push('<section id="ladders"><h2>Sequence diagrams</h2>');
  if (!details?.wantLadders) {
    parts.push('<p class="note">No ladder data was collected.</p>');
  } else {
    const idx = evidenceIndex(report.findings);
    const ladders = details.ladders;
    if (ladders.length === 0) parts.push('<p class="note">No bulk connection or client session in the capture.</p>');
    parts.push('<p class="note">Thick arrows carry the evidence of a violation (red error, orange warning, blue info); dotted grey ones of an inconclusive finding. Hover an arrow for its frame, time and rules.</p>');
    if (details.laddersOmitted > 0) {
      parts.push(`<p class="note capped" id="ladders-capped">Showing ${ladders.length} diagrams; ${details.laddersOmitted} more connections/sessions were not drawn (report.ladders = ${details.limits['report.ladders']}).</p>`);
    }
    ladders.forEach((l, n) => parts.push(renderLadder(l, n + 1, idx, multi, report)));
  }
  parts.push('</section>');
  parts.push(`<script>${SCRIPT}</script></body></html>`);
  return `${parts.join('\n')}\n`;
};
htmlReporter.needs = { ladders: true };
