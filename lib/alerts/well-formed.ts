/**
 * The last step of every alert, for every channel: text SNS and its subscribers accept, whatever an event carried.
 * - Publish takes a Message of UTF-8 text, at most 262,144 bytes (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 *   A lone surrogate (half of a UTF-16 pair, e.g. from a forged userAgent) has no UTF-8 form: the SDK's query
 *   encoding throws (encodeURIComponent: URIError) and the alert is lost. It becomes U+FFFD, the replacement character.
 * - A String message attribute "has the same restrictions on the content as the message body", and must not be empty
 *   (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html).
 * - SQS subscribers take only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html): other control
 *   characters and U+FFFE/U+FFFF become U+FFFD too.
 * - Slack gets the same text (JSON.stringify would write a lone surrogate as an escape Slack cannot decode).
 */
import type { Alert, SlackBlock } from './types'

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const OUTSIDE_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g
const REPLACEMENT = '\ufffd'

/** SNS's limit on a Message, in UTF-8 bytes. */
export const SNS_MESSAGE_MAX_BYTES = 262_144

/** `text` with lone surrogates and characters SQS refuses replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, REPLACEMENT).replace(OUTSIDE_XML_CHARS, REPLACEMENT)
}

/** The alert with every string well-formed, the message within SNS's size and attribute values never empty. */
export function wellFormedAlert(alert: Alert): Alert {
  const attributes = { ...alert.attributes }
  for (const key of Object.keys(attributes) as Array<keyof Alert['attributes']>) {
    const value = wellFormed(attributes[key].StringValue)
    attributes[key] = { ...attributes[key], StringValue: value === '' ? 'none' : value }
  }
  const message = fitBytes(wellFormed(alert.text), SNS_MESSAGE_MAX_BYTES)
  return {
    subject: wellFormed(alert.subject),
    text: message === '' ? '(empty alert)' : message,
    attributes,
    slack: { ...alert.slack, text: wellFormed(alert.slack.text), blocks: alert.slack.blocks.map(wellFormedBlock) },
  }
}

function wellFormedBlock(block: SlackBlock): SlackBlock {
  switch (block.type) {
    case 'header':
      return { ...block, text: { ...block.text, text: wellFormed(block.text.text) } }
    case 'context':
      return { ...block, elements: block.elements.map((e) => ({ ...e, text: wellFormed(e.text) })) }
    case 'section':
      return 'fields' in block
        ? { ...block, fields: block.fields.map((f) => ({ ...f, text: wellFormed(f.text) })) }
        : { ...block, text: { ...block.text, text: wellFormed(block.text.text) } }
  }
}

/** Cuts well-formed `text` to at most `max` UTF-8 bytes, on a character boundary, saying so at the end. */
function fitBytes(text: string, max: number): string {
  const encoder = new TextEncoder()
  if (encoder.encode(text).length <= max) return text
  const note = '\n…(cut to fit the SNS message size limit)'
  const room = max - encoder.encode(note).length
  let bytes = 0
  let end = 0
  for (const ch of text) {
    const size = encoder.encode(ch).length
    if (bytes + size > room) break
    bytes += size
    end += ch.length
  }
  return `${text.slice(0, end)}${note}`
}
