import { templateError } from './types.js'

/**
 * Resolves CloudFormation intrinsics where a local run can know the answer: `Ref` to a
 * parameter (its override or Default) or a pseudo parameter, `Fn::Sub` over those, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`, `Fn::FindInMap` (Mappings), `Fn::Base64`, `Fn::If` with the
 * template's Conditions (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). Anything
 * that needs a deployed stack (`Fn::GetAtt`, `Fn::ImportValue`, `Ref` to a resource) is an error
 * naming the path: only properties Thaw applies are ever resolved, so such values elsewhere in
 * the template (Events, Policies) are never a problem.
 */

/** `Ref: AWS::NoValue`: the property is treated as absent, as CloudFormation does. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue')

export interface ResolverContext {
  readonly parameters: Readonly<Record<string, unknown>>
  readonly parameterOverrides: Readonly<Record<string, string>>
  readonly mappings: Readonly<Record<string, unknown>>
  readonly conditions: Readonly<Record<string, unknown>>
  readonly pseudo: Readonly<Record<string, string>>
}

export class IntrinsicResolver {
  readonly #context: ResolverContext
  readonly #conditionValues = new Map<string, boolean>()
  readonly #evaluating = new Set<string>()

  constructor(context: ResolverContext) {
    this.#context = context
  }

  /** The value with every intrinsic replaced; NO_VALUE if it resolves to `AWS::NoValue`. */
  resolve(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.resolve(item, `${path}.${index}`)).filter((item) => item !== NO_VALUE)
    }
    if (!isRecord(value)) return value
    const intrinsic = intrinsicName(value)
    if (intrinsic !== undefined) return this.#intrinsic(intrinsic, value[intrinsic], path)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.resolve(item, `${path}.${key}`)
      if (resolved !== NO_VALUE) out[key] = resolved
    }
    return out
  }

  /** Whether the named condition of the Conditions section holds. */
  condition(name: unknown, path: string): boolean {
    if (typeof name !== 'string') throw templateError(path, 'a condition name must be a string')
    const known = this.#conditionValues.get(name)
    if (known !== undefined) return known
    if (!Object.hasOwn(this.#context.conditions, name)) throw templateError(path, `unknown condition "${name}"`)
    if (this.#evaluating.has(name)) throw templateError(`Conditions.${name}`, 'the condition refers to itself')
    this.#evaluating.add(name)
    const result = this.#truth(this.#context.conditions[name], `Conditions.${name}`)
    this.#evaluating.delete(name)
    this.#conditionValues.set(name, result)
    return result
  }

  #truth(value: unknown, path: string): boolean {
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
    if (isRecord(value)) {
      const name = intrinsicName(value)
      const args = name === undefined ? undefined : value[name]
      if (name === 'Condition') return this.condition(args, `${path}.Condition`)
      if (name === 'Fn::Equals') {
        const [left, right] = this.#args(args, 2, 2, path, name)
        return String(this.resolve(left, `${path}.0`)) === String(this.resolve(right, `${path}.1`))
      }
      if (name === 'Fn::Not') return !this.#truth(this.#args(args, 1, 1, path, name)[0], `${path}.0`)
      if (name === 'Fn::And') return this.#args(args, 2, 10, path, name).every((item, i) => this.#truth(item, `${path}.${i}`))
      if (name === 'Fn::Or') return this.#args(args, 2, 10, path, name).some((item, i) => this.#truth(item, `${path}.${i}`))
    }
    throw templateError(path, 'must be a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)')
  }

  #intrinsic(name: string, args: unknown, path: string): unknown {
    const at = `${path}.${name}`
    switch (name) {
      case 'Ref':
        return this.#ref(args, at)
      case 'Fn::Sub':
        return this.#sub(args, at)
      case 'Fn::Join': {
        const [separator, items] = this.#args(args, 2, 2, at, name)
        const list = this.resolve(items, `${at}.1`)
        if (typeof separator !== 'string' || !Array.isArray(list)) throw templateError(at, 'must be [separator, [values]]')
        return list.map((item, i) => this.#stringOf(item, `${at}.1.${i}`)).join(separator)
      }
      case 'Fn::Select': {
        const [index, items] = this.#args(args, 2, 2, at, name)
        const list = this.resolve(items, `${at}.1`)
        const i = Number(this.resolve(index, `${at}.0`))
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
          throw templateError(at, 'must be [index, [values]] with the index inside the list')
        }
        return list[i]
      }
      case 'Fn::Split': {
        const [separator, source] = this.#args(args, 2, 2, at, name)
        const text = this.resolve(source, `${at}.1`)
        if (typeof separator !== 'string' || separator === '' || typeof text !== 'string') {
          throw templateError(at, 'must be [separator, string]')
        }
        return text.split(separator)
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = this.#args(args, 3, 3, at, name).map((item, i) => this.#stringOf(this.resolve(item, `${at}.${i}`), `${at}.${i}`))
        const found = (this.#context.mappings[map!] as Record<string, Record<string, unknown>> | undefined)?.[top!]?.[second!]
        if (found === undefined) throw templateError(at, `Mappings.${map}.${top}.${second} does not exist`)
        return found
      }
      case 'Fn::Base64':
        return Buffer.from(this.#stringOf(this.resolve(args, at), at)).toString('base64')
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.#args(args, 3, 3, at, name)
        return this.condition(condition, `${at}.0`)
          ? this.resolve(whenTrue, `${at}.1`)
          : this.resolve(whenFalse, `${at}.2`)
      }
      default:
        throw templateError(path, `cannot resolve ${describe(name, args)} locally: it needs a deployed stack`)
    }
  }

  #ref(name: unknown, path: string): unknown {
    if (typeof name !== 'string') throw templateError(path, 'Ref must name a parameter or resource')
    if (name === 'AWS::NoValue') return NO_VALUE
    const pseudo = this.#context.pseudo[name]
    if (pseudo !== undefined) return pseudo
    if (Object.hasOwn(this.#context.parameterOverrides, name)) return this.#parameterValue(name, this.#context.parameterOverrides[name])
    const parameter = this.#context.parameters[name]
    if (isRecord(parameter)) {
      if (parameter.Default === undefined) {
        throw templateError(path, `parameter "${name}" has no Default; pass a value for it (parameterOverrides)`)
      }
      return this.#parameterValue(name, parameter.Default)
    }
    throw templateError(path, `cannot resolve !Ref ${name} locally: it is not a parameter with a value (a resource's id needs a deployed stack)`)
  }

  /** List-typed parameters Ref to lists; everything else is a string, as in CloudFormation. */
  #parameterValue(name: string, value: unknown): unknown {
    const type = (this.#context.parameters[name] as Record<string, unknown> | undefined)?.Type
    const text = Array.isArray(value) ? value.join(',') : String(value)
    return typeof type === 'string' && (type === 'CommaDelimitedList' || type.startsWith('List<')) ? text.split(',').map((s) => s.trim()) : text
  }

  #sub(args: unknown, path: string): string {
    const [template, variables] = Array.isArray(args) ? args : [args, {}]
    if (typeof template !== 'string' || !isRecord(variables ?? {})) throw templateError(path, 'must be a string or [string, {variables}]')
    const local = (variables ?? {}) as Record<string, unknown>
    // `${!Literal}` is an escape for a literal `${Literal}`.
    return template.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`
      const name = expression.trim()
      if (Object.hasOwn(local, name)) return this.#stringOf(this.resolve(local[name], `${path}.1.${name}`), `${path}.1.${name}`)
      if (name.includes('.')) {
        throw templateError(path, `cannot resolve \${${name}} locally: a resource attribute needs a deployed stack`)
      }
      return this.#stringOf(this.#ref(name, path), path)
    })
  }

  #stringOf(value: unknown, path: string): string {
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    throw templateError(path, 'must resolve to a string')
  }

  #args(args: unknown, min: number, max: number, path: string, name: string): unknown[] {
    if (!Array.isArray(args) || args.length < min || args.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`
      throw templateError(path, `${name} takes a list of ${count} arguments`)
    }
    return args
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `Ref` or `Fn::…` when `value` is an intrinsic call (an object with that single key). */
export function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value)
  if (keys.length !== 1) return undefined
  const key = keys[0]!
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined
}

/** How an intrinsic reads in a message: `!GetAtt Table.Arn`, `!ImportValue shared-vpc`. */
export function describe(name: string, args: unknown): string {
  const short = name === 'Ref' ? '!Ref' : `!${name.replace(/^Fn::/, '')}`
  if (name === 'Fn::GetAtt' && Array.isArray(args)) return `${short} ${args.map(String).join('.')}`
  return typeof args === 'string' ? `${short} ${args}` : `${short} ${JSON.stringify(args)}`
}
