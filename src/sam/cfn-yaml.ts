import { Pair, parseDocument, Scalar, YAMLMap, type CollectionTag, type ScalarTag, type YAMLSeq } from 'yaml'
import { templateError } from './types.js'

/**
 * CloudFormation templates in YAML use short-form tags (`!Ref x`, `!Sub "..."`, `!GetAtt a.b`)
 * that a plain YAML parser rejects or drops. Each tag here turns into the long form
 * CloudFormation itself uses (`{ Ref: x }`, `{ 'Fn::Sub': ... }`), so the rest of the loader sees
 * one shape. Every tag accepts a scalar, a sequence or a mapping: a malformed use still parses
 * (resolution reports it later, with a path), it never crashes the parser.
 */

const FUNCTION_TAGS = [
  'Sub',
  'GetAtt',
  'If',
  'Join',
  'Select',
  'Equals',
  'Not',
  'FindInMap',
  'Base64',
  'ImportValue',
  'Split',
  'Cidr',
  'GetAZs',
  'And',
  'Or',
  'Transform',
  'Length',
  'ToJsonString',
] as const

function longForm(shortName: string): string {
  return shortName === 'Ref' || shortName === 'Condition' ? shortName : `Fn::${shortName}`
}

/** `!GetAtt Res.Attr` is the scalar form of `Fn::GetAtt: [Res, Attr]` (split at the first dot). */
function scalarArgument(shortName: string, value: string): unknown {
  if (shortName !== 'GetAtt') return value
  const dot = value.indexOf('.')
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)]
}

function tagsFor(shortName: string): Array<ScalarTag | CollectionTag> {
  const key = longForm(shortName)
  const scalar: ScalarTag = {
    tag: `!${shortName}`,
    resolve: (value: string) => ({ [key]: scalarArgument(shortName, value) }),
  }
  // A collection stays a YAML node inside the wrapper, so anchors and aliases within it still
  // resolve when the document is turned into plain values.
  const wrap = (collection: YAMLMap | YAMLSeq) => {
    const wrapper = new YAMLMap()
    wrapper.items.push(new Pair(new Scalar(key), collection))
    return wrapper
  }
  const seq = { tag: `!${shortName}`, collection: 'seq', resolve: wrap } as unknown as CollectionTag
  const map = { tag: `!${shortName}`, collection: 'map', resolve: wrap } as unknown as CollectionTag
  return [scalar, seq, map]
}

const CLOUDFORMATION_TAGS = ['Ref', 'Condition', ...FUNCTION_TAGS].flatMap(tagsFor)

/** Parses a template's YAML (or JSON, a subset of YAML) into plain values with long-form intrinsics. */
export function parseCloudFormationYaml(source: string, file: string): unknown {
  const doc = parseDocument(source, {
    customTags: CLOUDFORMATION_TAGS,
    // CloudFormation reads YAML 1.1 scalars loosely, but `yes`/`no` stay strings in practice:
    // the core schema keeps them strings, as cfn-lint and SAM CLI's parser do.
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: true,
  })
  const error = doc.errors[0]
  if (error !== undefined) {
    throw templateError('', `${file} is not a valid YAML template: ${error.message}`, error)
  }
  return doc.toJS({ maxAliasCount: 1_000 })
}
