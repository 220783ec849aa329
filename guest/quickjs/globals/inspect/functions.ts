/**
 * Functions and classes: `[Function: name]`, `[AsyncGeneratorFunction (anonymous)]`,
 * `[class A extends B]`. A class is recognised from its source text, as Node does: there is no
 * other way to tell one from a plain function in JS.
 */
import { getBrands, hasOwn, protoChainIncludes } from './type-checks.js'

const classRegExp = /^(\s+[^(]*?)\s*{/
const stripCommentsRegExp = /(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g

function getClassBase(value: Function, constructor: string | null, tag: string): string {
  const name = (hasOwn(value, 'name') && (value as { name?: unknown }).name) || '(anonymous)'
  let base = `class ${String(name)}`
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`
  if (constructor !== null) {
    const superName = (Object.getPrototypeOf(value) as { name?: unknown } | null)?.name
    if (superName) base += ` extends ${String(superName)}`
  } else {
    base += ' extends [null prototype]'
  }
  return `[${base}]`
}

/** `[Function: f]`, `[AsyncFunction (anonymous)]`, `[class A extends B]` … with constructor and tag when they differ. */
export function getFunctionBase(value: Function, constructor: string | null, tag: string): string {
  let stringified = ''
  try {
    stringified = Function.prototype.toString.call(value)
  } catch {
    // ignore
  }
  if (stringified.startsWith('class') && stringified.endsWith('}')) {
    const slice = stringified.slice(5, -1)
    const bracketIndex = slice.indexOf('{')
    if (
      bracketIndex !== -1 &&
      (!slice.slice(0, bracketIndex).includes('(') || classRegExp.test(slice.replace(stripCommentsRegExp, '')))
    ) {
      return getClassBase(value, constructor, tag)
    }
  }
  const b = getBrands()
  let type = 'Function'
  if (protoChainIncludes(value, b.asyncGeneratorFunctionProto)) type = 'AsyncGeneratorFunction'
  else if (protoChainIncludes(value, b.generatorFunctionProto)) type = 'GeneratorFunction'
  else if (protoChainIncludes(value, b.asyncFunctionProto)) type = 'AsyncFunction'
  let base = `[${type}`
  if (constructor === null) base += ' (null prototype)'
  const name: unknown = (value as { name?: unknown }).name
  if (name === '') base += ' (anonymous)'
  else base += `: ${typeof name === 'string' ? name : String(name)}`
  base += ']'
  if (constructor !== type && constructor !== null) base += ` ${constructor}`
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`
  return base
}
