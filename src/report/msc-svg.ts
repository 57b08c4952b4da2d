/**
 * A sequence diagram (`trace/msc.ts`) drawn as inline SVG: lifelines as columns, steps as boxes,
 * messages as arrows, the violating step in red and a lasso's cycle bracketed. Pure string
 * building, so the CLI's HTML report and the explorer in the browser draw the same picture.
 */
import type { Msc } from '../trace/msc.js'
import { escapeXml } from './escape.js'

const ROW = 44
const HEAD = 56
const LEFT = 64
const BOX_H = 28
const CHAR = 6.6

export function renderMscSvg(msc: Msc): string {
  const longest = Math.max(10, ...msc.lifelines.map((l) => l.name.length), ...msc.steps.map((s) => Math.min(s.action.length, 30)))
  const col = Math.max(150, Math.min(260, Math.round(longest * CHAR + 28)))
  const boxW = col - 20
  const width = LEFT + msc.lifelines.length * col + 24
  const rows = msc.steps.length
  const hasQueued = msc.arrows.some((a) => a.to < 0)
  const height = HEAD + (rows + 1) * ROW + (hasQueued ? ROW : 0)
  const x = (lifeline: number): number => LEFT + lifeline * col + col / 2
  const y = (row: number): number => HEAD + (row + 1) * ROW
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="msc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`,
    '<defs><marker id="msc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#2f5d9b"/></marker>',
    '<marker id="msc-arrow-rv" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a3e9d"/></marker></defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
  )
  // The cycle of a lasso: a band behind its rows and a bracket on the left.
  if (msc.cycleStart !== undefined && msc.cycleStart < rows) {
    const top = y(msc.cycleStart) - ROW / 2
    const bottom = y(rows - 1) + ROW / 2
    out.push(
      `<g class="cycle"><rect x="${LEFT - 6}" y="${top}" width="${width - LEFT}" height="${bottom - top}" fill="#fff6d6"/>`,
      `<path d="M${LEFT - 14},${top + 4} h-8 v${bottom - top - 8} h8" fill="none" stroke="#b8860b" stroke-width="2"/>`,
      `<text x="${LEFT - 26}" y="${(top + bottom) / 2}" transform="rotate(-90 ${LEFT - 26} ${(top + bottom) / 2})" text-anchor="middle" font-size="11" fill="#8a6500">cycle</text></g>`,
    )
  }
  msc.lifelines.forEach((l, i) => {
    const cx = x(i)
    out.push(
      `<g class="lifeline" data-lifeline="${escapeXml(l.name)}">`,
      `<line x1="${cx}" y1="${HEAD - 8}" x2="${cx}" y2="${height - 8}" stroke="#b7c0cc" stroke-dasharray="4 4"/>`,
      `<rect x="${cx - boxW / 2}" y="10" width="${boxW}" height="30" rx="6" fill="#263445"/>`,
      `<text x="${cx}" y="30" text-anchor="middle" font-size="13" font-weight="600" fill="#fff">${escapeXml(fit(l.name, boxW))}</text></g>`,
    )
  })
  msc.steps.forEach((s, row) => {
    const cx = x(s.lifeline)
    const cy = y(row)
    const cls = ['step', s.violating ? 'violating' : '', s.failing ? 'failing' : '', s.inCycle ? 'in-cycle' : ''].filter(Boolean).join(' ')
    const fill = s.violating ? '#fde2e1' : '#eef3fa'
    const stroke = s.violating ? '#c62828' : '#6d86a8'
    const title = `State ${s.state}: ${s.action}${s.location ? ` at ${s.location}` : ''}${s.failing ? ' (fails)' : ''}`
    out.push(
      `<g class="${cls}" data-state="${s.state}"><title>${escapeXml(title)}</title>`,
      `<text x="${LEFT - 36}" y="${cy + 4}" text-anchor="end" font-size="11" fill="#6b7785">${s.failing ? '✗' : s.state}</text>`,
      `<rect x="${cx - boxW / 2}" y="${cy - BOX_H / 2}" width="${boxW}" height="${BOX_H}" rx="4" fill="${fill}" stroke="${stroke}" stroke-width="${s.violating ? 2.5 : 1}"/>`,
      `<text x="${cx}" y="${cy + 4}" text-anchor="middle" font-size="12" font-family="ui-monospace, SFMono-Regular, Menlo, monospace" fill="${s.violating ? '#8e1c1c' : '#1d2b3a'}">${escapeXml(fit(s.action, boxW))}</text></g>`,
    )
  })
  if (msc.cycleStart !== undefined && rows > 0) {
    out.push(`<text x="${LEFT}" y="${y(rows - 1) + ROW / 2 + 14}" font-size="11" fill="#8a6500">↺ back to state ${msc.cycleState ?? msc.cycleStart + 1}</text>`)
  }
  for (const a of msc.arrows) {
    const label = `${a.channel}${a.rendezvous ? '!!' : '!'}${a.message}`
    const color = a.rendezvous ? '#7a3e9d' : '#2f5d9b'
    const marker = a.rendezvous ? 'msc-arrow-rv' : 'msc-arrow'
    const x1 = x(a.fromLifeline)
    const x2 = x(a.toLifeline)
    const y1 = a.from < 0 ? HEAD + ROW / 2 - 6 : y(a.from) + (a.rendezvous ? 0 : BOX_H / 2)
    const y2 = a.to < 0 ? height - 16 : y(a.to) - (a.rendezvous ? 0 : BOX_H / 2)
    const dir = x2 >= x1 ? 1 : -1
    let path: string
    let lx: number
    let ly: number
    if (a.fromLifeline === a.toLifeline) {
      // To itself, or a message in flight at either end: a curve on the lifeline's right.
      const bx = x1 + boxW / 2 + 18
      path = `M${x1 + boxW / 4},${y1} C${bx},${y1} ${bx},${y2} ${x1 + boxW / 4},${y2}`
      lx = bx + 4
      ly = (y1 + y2) / 2 + 4
    } else {
      const sx = x1 + (dir * boxW) / 2
      const ex = x2 - (dir * boxW) / 2
      path = a.rendezvous ? `M${sx},${y1} L${ex},${y2}` : `M${x1},${y1} L${x2},${y2}`
      lx = (x1 + x2) / 2
      ly = (y1 + y2) / 2 - 5
    }
    const where = a.to < 0 ? ' (still in the channel)' : a.from < 0 ? ' (in the channel at the start)' : ''
    out.push(
      `<g class="message${a.rendezvous ? ' rendezvous' : ''}"><title>${escapeXml(label + where)}</title>`,
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="${a.rendezvous ? 2 : 1.5}"${a.to < 0 || a.from < 0 ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#${marker})"/>`,
      `<text x="${lx}" y="${ly}" text-anchor="${a.fromLifeline === a.toLifeline ? 'start' : 'middle'}" font-size="11" fill="${color}" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeXml(label)}</text></g>`,
    )
  }
  out.push('</svg>')
  return out.join('\n')
}

function fit(text: string, width: number): string {
  const max = Math.max(4, Math.floor((width - 10) / CHAR))
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
