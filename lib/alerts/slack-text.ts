/**
 * Slack text made from user-controlled values (role, policy and user names, ARNs, user agents, Sids, environment
 * names) that can never ping anyone or carry a link:
 * - `&`, `<`, `>` become HTML entities, as Slack asks, so `<!channel>`, `<@U123>` and `<http://x|click>` stay text
 *   (https://docs.slack.dev/messaging/formatting-message-text#escaping);
 * - `@` becomes the full-width `＠`, so a bare `@here` or `@channel` is never parsed as a mention even by a client
 *   that parses mentions in plain text;
 * - every value is shown as inline code (backticks inside become `ˋ`, line breaks spaces), which Slack renders
 *   literally, and every mrkdwn text object is `verbatim: true`, which turns off automatic link, channel and mention
 *   parsing (https://docs.slack.dev/reference/block-kit/composition-objects/text-object).
 */
import { plainValue } from './plain-value'
import type { MrkdwnText, PlainText } from './types'

/** Slack's three control characters as entities. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A user-controlled value as inline code: one line, at most `max` characters before escaping, inert. */
export function code(value: string, max = 300): string {
  const inert = escapeMrkdwn(plainValue(value, max).replace(/`/g, 'ˋ').replace(/@/g, '＠'))
  return inert === '' ? '`(empty)`' : `\`${inert}\``
}

/**
 * A user-controlled value for a plain_text object (the header). Slack documents no entity decoding there, so the
 * control characters become look-alikes instead of entities.
 */
export function plainSafe(value: string, max: number): string {
  return plainValue(value, max).replace(/&/g, '＆').replace(/</g, '‹').replace(/>/g, '›').replace(/@/g, '＠')
}

export function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true }
}

export function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: true }
}

/**
 * Cuts one mrkdwn line to `max` characters without splitting an entity (`&amp;`) or leaving a code span open.
 * Lines are built from `code()` pieces, so a backtick in the text always opens or closes a span.
 */
export function clipLine(line: string, max: number): string {
  if (line.length <= max) return line
  let cut = line.slice(0, max - 2).replace(/[\ud800-\udbff]$/, '')
  cut = cut.replace(/&[a-z]{0,4}$/, '')
  if ((cut.match(/`/g)?.length ?? 0) % 2 === 1) cut += '`'
  return `${cut}…`
}

/**
 * Packs `lines` under `title` into one text of at most `max` characters; lines that do not fit are counted in a
 * final "…and N more" line (section text: at most 3000 characters, https://docs.slack.dev/reference/block-kit/blocks/section-block).
 */
export function packLines(title: string, lines: readonly string[], max: number, noun = 'more'): string {
  const reserve = 40
  let text = title
  for (let i = 0; i < lines.length; i++) {
    const line = clipLine(lines[i]!, max - reserve - title.length - 1)
    if (text.length + 1 + line.length > max - reserve) return `${text}\n…and ${lines.length - i} ${noun}`
    text += `\n${line}`
  }
  return text
}
