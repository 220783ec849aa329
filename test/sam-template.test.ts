/**
 * SAM templates and functions folders (issue #6 item 4): real template files in temp folders,
 * loaded into DeployOptions + serve settings; the result deployed to a real host and invoked
 * (a layer file read at /opt, an env var from Globals); short-form tags, parameters, conditions,
 * warnings for what Thaw does not apply, errors that name the property path.
 */
import path from 'node:path'
import t, { type Test } from 'tap'
import {
  createHost,
  isThawError,
  loadFunctions,
  loadFunctionsDir,
  loadSamTemplate,
  type LoadedFunctions,
  type TemplateFunction,
} from '../src/index.js'

const HANDLER_READING_LAYER = `
import fs from 'node:fs'
export const handler = async () => ({
  greeting: process.env.GREETING,
  stage: process.env.STAGE,
  region: process.env.REGION_SEEN,
  layerFile: fs.readFileSync('/opt/shared/greeting.txt', 'utf8'),
  overridden: fs.readFileSync('/opt/shared/which.txt', 'utf8'),
})
`

const FULL_TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: a template with globals and layers

Parameters:
  Stage:
    Type: String
    Default: dev
  Memory:
    Type: Number
    Default: 512

Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
    MemorySize: 256
    Layers:
      - !Ref BaseLayer
    Environment:
      Variables:
        GREETING: hello from globals
        STAGE: overridden-by-function

Resources:
  BaseLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: base
      ContentUri: layers/base/
      CompatibleRuntimes: [nodejs20.x]
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared
      RetentionPolicy: Delete
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: app.handler
      MemorySize: !Ref Memory
      EphemeralStorage:
        Size: 1024
      Layers:
        - !Ref SharedLayer
        - arn:aws:lambda:us-east-1:123456789012:layer:remote:3
        - !Sub arn:aws:lambda:\${AWS::Region}:123456789012:layer:other:1
      Environment:
        Variables:
          STAGE: !Ref Stage
          REGION_SEEN: !Sub '\${AWS::Region}/\${AWS::AccountId}'
      SnapStart:
        ApplyOn: PublishedVersions
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          AllowOrigins: ['https://example.com']
          AllowMethods: [GET, POST]
          AllowCredentials: true
          MaxAge: 300
      AutoPublishAlias: live
      ReservedConcurrentExecutions: 5
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
      Events:
        Api:
          Type: HttpApi
          Properties:
            ApiId: !GetAtt Api.ApiId
      MemorySise: 1024
  Table:
    Type: AWS::Serverless::SimpleTable
`

function layerFiles(which: string) {
  return { shared: { 'which.txt': which } }
}

function byId(loaded: LoadedFunctions, id: string): TemplateFunction {
  const fn = loaded.functions.find((f) => f.logicalId === id)
  if (fn === undefined) throw new Error(`no function ${id}`)
  return fn
}

/** Writes `template.yaml` (plus files) to a temp folder and loads it. */
async function load(t: Test, template: string, files: Record<string, unknown> = {}, options = {}): Promise<LoadedFunctions> {
  const dir = t.testdir({ 'template.yaml': template, src: { 'index.mjs': 'export const handler = async () => 1' }, ...files })
  return loadSamTemplate(path.join(dir, 'template.yaml'), options)
}

/** A minimal function resource with extra properties, as YAML lines under Properties. */
function oneFunction(properties: string, extra = ''): string {
  return `Transform: AWS::Serverless-2016-10-31
${extra}
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: index.handler
      Runtime: nodejs20.x
${properties
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => `      ${line}`)
  .join('\n')}
`
}

async function rejectsWith(t: Test, promise: Promise<unknown>, message: string | RegExp, field?: string): Promise<void> {
  try {
    await promise
    t.fail(`expected THAW_INVALID_TEMPLATE: ${String(message)}`)
  } catch (error) {
    t.ok(isThawError(error, 'THAW_INVALID_TEMPLATE'), `a THAW_INVALID_TEMPLATE (got ${String(error)})`)
    if (typeof message === 'string') t.equal((error as Error).message, message)
    else t.match((error as Error).message, message)
    if (field !== undefined) t.equal((error as { field?: string }).field, field)
    t.equal((error as { errorType?: string }).errorType, 'ValidationError')
  }
}

t.test('a template with globals and layers: mapped, deployed to a real host and invoked', async (t) => {
  const dir = t.testdir({
    'template.yaml': FULL_TEMPLATE,
    hello: { 'app.mjs': HANDLER_READING_LAYER },
    layers: {
      base: { shared: { 'greeting.txt': 'from the base layer', 'which.txt': 'base' } },
      shared: layerFiles('shared wins: it comes later'),
    },
  })
  const loaded = await loadSamTemplate(path.join(dir, 'template.yaml'), { region: 'eu-west-1', accountId: '123456789012' })
  t.same(loaded.source, { kind: 'template', path: path.join(dir, 'template.yaml') })
  t.equal(loaded.functions.length, 1)
  const hello = byId(loaded, 'HelloFunction')
  t.equal(hello.declaredRuntime, 'nodejs20.x')
  t.strictSame(hello.deploy, {
    name: 'HelloFunction',
    runtime: 'quickjs',
    handler: 'app.handler',
    code: { dir: path.join(dir, 'hello') },
    memoryMb: 512,
    timeoutMs: 10_000,
    env: { GREETING: 'hello from globals', STAGE: 'dev', REGION_SEEN: 'eu-west-1/123456789012' },
    ephemeralStorageMb: 1024,
    layers: [{ dir: path.join(dir, 'layers', 'base') }, { dir: path.join(dir, 'layers', 'shared') }],
    snapStart: { applyOn: 'PublishedVersions' },
  })
  t.strictSame(hello.serve, {
    functionUrl: {
      authType: 'NONE',
      invokeMode: 'BUFFERED',
      cors: { allowCredentials: true, allowMethods: ['GET', 'POST'], allowOrigins: ['https://example.com'], maxAgeSeconds: 300 },
    },
    autoPublishAlias: 'live',
    reservedConcurrentExecutions: 5,
  })
  t.ok(Object.isFrozen(loaded) && Object.isFrozen(hello.deploy.env) && Object.isFrozen(hello.serve.functionUrl?.cors), 'frozen')

  const warnings = loaded.warnings.map((w) => `${w.path}: ${w.message}`)
  t.strictSame(warnings.sort(), [
    'Resources.HelloFunction.Properties.Events: has no effect in Thaw; ignored',
    'Resources.HelloFunction.Properties.Layers.1: layer arn:aws:lambda:us-east-1:123456789012:layer:remote:3 is not a local AWS::Serverless::LayerVersion; skipped',
    'Resources.HelloFunction.Properties.Layers.2: layer arn:aws:lambda:eu-west-1:123456789012:layer:other:1 is not a local AWS::Serverless::LayerVersion; skipped',
    'Resources.HelloFunction.Properties.MemorySise: is not a known AWS::Serverless::Function property; ignored',
    'Resources.HelloFunction.Properties.Policies: has no effect in Thaw; ignored',
    'Resources.Table: AWS::Serverless::SimpleTable is not supported by Thaw; ignored',
  ])
  const unknown = loaded.warnings.find((w) => w.property === 'MemorySise')
  t.equal(unknown?.resource, 'HelloFunction', 'a warning names its resource and property')

  await using host = await createHost({ region: 'eu-west-1', accountId: '123456789012', shards: 0 })
  if (hello.deploy.runtime !== 'quickjs') throw new Error('expected a quickjs function')
  await host.deploy(hello.deploy)
  const result = await host.invoke('HelloFunction', {})
  if (!result.ok) t.fail(`${result.error.errorType}: ${result.error.errorMessage}\n${result.logs}`)
  t.strictSame(result.ok && result.payload, {
    greeting: 'hello from globals',
    stage: 'dev',
    region: 'eu-west-1/123456789012',
    layerFile: 'from the base layer',
    overridden: 'shared wins: it comes later',
  })
  const info = host.getFunction('HelloFunction')
  t.strictSame([info.memoryMb, info.timeoutMs, info.snapStart.applyOn], [512, 10_000, 'PublishedVersions'])
})

t.test('Globals.Function: maps merge key-wise, lists add up, the function wins on values', async (t) => {
  const loaded = await load(
    t,
    `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Handler: index.handler
    CodeUri: src
    Timeout: 30
    Environment:
      Variables: { AA: from-globals, BB: from-globals, NUM: 42, FLAG: true }
    FunctionUrlConfig:
      AuthType: AWS_IAM
    Tracing: Active
  Api:
    Cors: '*'
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 5
      Environment:
        Variables: { BB: from-function, CC: only-here }
      FunctionUrlConfig:
        InvokeMode: RESPONSE_STREAM
  Two:
    Type: AWS::Serverless::Function
`,
  )
  const one = byId(loaded, 'One')
  const two = byId(loaded, 'Two')
  t.equal(one.deploy.timeoutMs, 5000)
  t.equal(two.deploy.timeoutMs, 30_000)
  t.strictSame(one.deploy.env, { AA: 'from-globals', BB: 'from-function', NUM: '42', FLAG: 'true', CC: 'only-here' })
  t.strictSame(two.deploy.env, { AA: 'from-globals', BB: 'from-globals', NUM: '42', FLAG: 'true' })
  t.strictSame(one.serve.functionUrl, { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' }, 'the URL config merges key-wise too')
  t.equal(one.deploy.handler, 'index.handler')
  t.strictSame(
    loaded.warnings.map((w) => w.path).sort(),
    ['Globals.Api', 'Globals.Function.Tracing'],
    'each unapplied global is said once, not once per function',
  )

  await rejectsWith(
    t,
    load(t, 'Globals:\n  Function:\n    MemorySize: 64\n' + oneFunction('')),
    'Globals.Function.MemorySize: must be from 128 to 10240 MB',
    'Globals.Function.MemorySize',
  )
  await rejectsWith(
    t,
    load(t, 'Globals:\n  Function:\n    Environment:\n      Variables:\n        AWS_REGION: x\n' + oneFunction('')),
    'Globals.Function.Environment.Variables.AWS_REGION: AWS_REGION is reserved by Lambda',
  )
})

t.test('CloudFormation short-form tags parse; conditions, mappings and parameters resolve', async (t) => {
  const loaded = await load(
    t,
    oneFunction(
      `
Environment:
  Variables:
    JOINED: !Join [',', [a, !Ref Stage, c]]
    SELECTED: !Select [1, !Split ['/', 'x/y/z']]
    MAPPED: !FindInMap [Sizes, !Ref Stage, Label]
    ENCODED: !Base64 hi
    ESCAPED: !Sub '\${!Literal}-\${Stage}'
    SUB_VARS: !Sub ['\${Who}@\${AWS::Partition}', { Who: !Ref Stage }]
    CHOSEN: !If [IsProd, production, not-production]
    BOTH: !If [ProdAndEu, yes-both, !Ref AWS::NoValue]
    LIST_PARAM: !Join ['+', !Ref Names]
MemorySize: !FindInMap [Sizes, !Ref Stage, Memory]
Timeout: !If [IsProd, 30, !Ref AWS::NoValue]
Policies:
  - !GetAtt Queue.Arn
  - !ImportValue shared-stack-policy
  - !Cidr [!GetAZs '', 6, 5]
  - !Transform { Name: AWS::Include }
Events:
  Cond: !And [!Equals [a, a], !Or [!Not [!Condition IsProd], !Condition IsProd]]
`,
      `Parameters:
  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  Names: { Type: CommaDelimitedList, Default: 'ann, bob' }
Mappings:
  Sizes:
    dev: { Memory: 256, Label: small }
    prod: { Memory: 1024, Label: large }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsEu: !Equals [!Select [0, !Split ['-', !Ref 'AWS::Region']], eu]
  ProdAndEu: !And [!Condition IsProd, !Condition IsEu]`,
    ),
  )
  const fn = byId(loaded, 'HelloFunction')
  t.strictSame(fn.deploy.env, {
    JOINED: 'a,dev,c',
    SELECTED: 'y',
    MAPPED: 'small',
    ENCODED: Buffer.from('hi').toString('base64'),
    ESCAPED: '${Literal}-dev',
    SUB_VARS: 'dev@aws',
    CHOSEN: 'not-production',
    LIST_PARAM: 'ann+bob',
  })
  t.equal(fn.deploy.memoryMb, 256)
  t.equal(fn.deploy.timeoutMs, undefined, '!Ref AWS::NoValue leaves the property out')

  const prod = await load(t, oneFunction('Timeout: !If [IsProd, 30, 3]', 'Parameters:\n  Stage: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]'), {}, {
    parameterOverrides: { Stage: 'prod' },
  })
  t.equal(byId(prod, 'HelloFunction').deploy.timeoutMs, 30_000, 'parameterOverrides win over Defaults')
})

t.test('resource Conditions: a function whose condition is false is not loaded', async (t) => {
  const loaded = await load(
    t,
    `Transform: AWS::Serverless-2016-10-31
Conditions:
  Never: !Equals [a, b]
Resources:
  Kept:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src, Handler: index.handler, Runtime: nodejs20.x }
  Dropped:
    Type: AWS::Serverless::Function
    Condition: Never
    Properties: { CodeUri: src, Handler: index.handler, Runtime: python3.12 }
`,
  )
  t.strictSame(
    loaded.functions.map((f) => f.logicalId),
    ['Kept'],
  )
})

t.test('unresolvable values in properties Thaw applies are errors naming the path', async (t) => {
  await rejectsWith(
    t,
    load(t, oneFunction('Environment:\n  Variables:\n    TABLE_ARN: !GetAtt Table.Arn')),
    'Resources.HelloFunction.Properties.Environment.Variables.TABLE_ARN: cannot resolve !GetAtt Table.Arn locally: it needs a deployed stack',
    'Resources.HelloFunction.Properties.Environment.Variables.TABLE_ARN',
  )
  await rejectsWith(
    t,
    load(t, oneFunction('Environment:\n  Variables:\n    TABLE: !Ref Table')),
    /^Resources\.HelloFunction\.Properties\.Environment\.Variables\.TABLE\.Ref: cannot resolve !Ref Table locally/,
  )
  await rejectsWith(
    t,
    load(t, oneFunction('MemorySize: !Ref Memory', 'Parameters:\n  Memory: { Type: Number }')),
    'Resources.HelloFunction.Properties.MemorySize.Ref: parameter "Memory" has no Default; pass a value for it (parameterOverrides)',
  )
  await rejectsWith(
    t,
    load(t, oneFunction('Environment:\n  Variables:\n    URL: !Sub "https://${Api}.execute-api.${AWS::Region}/${Api.Stage}"')),
    /^Resources\.HelloFunction\.Properties\.Environment\.Variables\.URL\.Fn::Sub: cannot resolve/,
  )
  await rejectsWith(
    t,
    load(t, oneFunction('Timeout: !If [Missing, 1, 2]')),
    'Resources.HelloFunction.Properties.Timeout.Fn::If.0: unknown condition "Missing"',
  )
})

t.test('invalid properties fail with a typed error naming the property path', async (t) => {
  const cases: Array<[string, string]> = [
    ['MemorySize: 64', 'Resources.HelloFunction.Properties.MemorySize: must be from 128 to 10240 MB'],
    ['MemorySize: lots', 'Resources.HelloFunction.Properties.MemorySize: must be a number of MB'],
    ['Timeout: 901', 'Resources.HelloFunction.Properties.Timeout: must be from 1 to 900 seconds'],
    ['Timeout: 1.5', 'Resources.HelloFunction.Properties.Timeout: must be a whole number of seconds'],
    ['EphemeralStorage: { Size: 100 }', 'Resources.HelloFunction.Properties.EphemeralStorage.Size: must be from 512 to 10240 MB'],
    ['SnapStart: { ApplyOn: All }', 'Resources.HelloFunction.Properties.SnapStart.ApplyOn: must be "PublishedVersions" or "None"'],
    ['FunctionUrlConfig: { AuthType: OPEN }', 'Resources.HelloFunction.Properties.FunctionUrlConfig.AuthType: must be "NONE" or "AWS_IAM"'],
    ['FunctionUrlConfig: { AuthType: NONE, Cors: { MaxAge: 99999 } }', 'Resources.HelloFunction.Properties.FunctionUrlConfig.Cors.MaxAge: must be from 0 to 86400 seconds'],
    ['FunctionUrlConfig: { AuthType: NONE, Cors: { AllowOrigin: ["*"] } }', 'Resources.HelloFunction.Properties.FunctionUrlConfig.Cors.AllowOrigin: is not a known property here'],
    ['Environment: { Variables: { "1BAD": x } }', 'Resources.HelloFunction.Properties.Environment.Variables.1BAD: env keys must start with a letter and use only letters, digits and "_"'],
    ['Environment: { Variables: { NESTED: { a: 1 } } }', 'Resources.HelloFunction.Properties.Environment.Variables.NESTED: must be a string'],
    ['AutoPublishAlias: "123"', 'Resources.HelloFunction.Properties.AutoPublishAlias: must be 1-128 letters, digits, "-" or "_", and not all digits'],
    ['ReservedConcurrentExecutions: -1', 'Resources.HelloFunction.Properties.ReservedConcurrentExecutions: must be at least 0'],
    ['ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 }', 'Resources.HelloFunction.Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions: needs AutoPublishAlias: provisioned concurrency is set on an alias, never $LATEST'],
    ['AutoPublishAlias: live\nReservedConcurrentExecutions: 1\nProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 }', 'Resources.HelloFunction.Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions: must not exceed ReservedConcurrentExecutions (1)'],
    ['FunctionName: "has spaces"', 'Resources.HelloFunction.Properties.FunctionName: must be 1-64 characters of letters, digits, "-" and "_"'],
    ['PackageType: Image', 'Resources.HelloFunction.Properties.PackageType: container images are not supported: Thaw runs Zip functions'],
  ]
  for (const [properties, message] of cases) {
    await rejectsWith(t, load(t, oneFunction(properties)), message)
  }
  // Properties the template cannot leave out, and code that is not a local folder.
  await rejectsWith(
    t,
    load(t, oneFunction('').replace('      Handler: index.handler\n', '')),
    'Resources.HelloFunction.Properties.Handler: is required (in the function or Globals.Function)',
  )
  await rejectsWith(
    t,
    load(t, oneFunction('').replace('Handler: index.handler', 'Handler: nodot')),
    'Resources.HelloFunction.Properties.Handler: is malformed (Runtime.MalformedHandlerName): expected "[dir/]file.export[.nested]"',
  )
  await rejectsWith(t, load(t, oneFunction('').replace('CodeUri: src', 'CodeUri: missing/')), /^Resources\.HelloFunction\.Properties\.CodeUri: folder not found: /)
  await rejectsWith(
    t,
    load(t, oneFunction('').replace('CodeUri: src', 'CodeUri: s3://bucket/key.zip')),
    /^Resources\.HelloFunction\.Properties\.CodeUri: must be a local folder/,
  )
  await rejectsWith(
    t,
    load(t, oneFunction('Layers: [!Ref L]').replace('Resources:', 'Resources:\n  L:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { ContentUri: nowhere }')),
    /^Resources\.L\.Properties\.ContentUri: folder not found: /,
  )
  const tooMany = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => `  ${id}:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { ContentUri: src }`).join('\n')
  await rejectsWith(
    t,
    load(t, oneFunction('Layers: [!Ref A, !Ref B, !Ref C, !Ref D, !Ref E, !Ref F]').replace('Resources:', `Resources:\n${tooMany}`)),
    'Resources.HelloFunction.Properties.Layers: at most 5 layers',
  )
})

t.test('runtimes: nodejs* is QuickJS, provided* is its own kind, anything else an error', async (t) => {
  const node = await load(t, oneFunction('').replace('nodejs20.x', 'nodejs18.x'))
  t.equal(byId(node, 'HelloFunction').deploy.runtime, 'quickjs')

  const provided = await load(t, oneFunction('').replace('nodejs20.x', 'provided.al2023').replace('index.handler', 'bootstrap'))
  const custom = byId(provided, 'HelloFunction')
  t.equal(custom.deploy.runtime, 'provided', 'the caller decides what to do with a process runtime')
  t.equal(custom.declaredRuntime, 'provided.al2023')
  t.equal(custom.deploy.handler, 'bootstrap', 'a custom runtime handler is not held to the Node format')

  await rejectsWith(
    t,
    load(t, oneFunction('').replace('nodejs20.x', 'python3.12')),
    'Resources.HelloFunction.Properties.Runtime: python3.12 is not supported: Thaw runs nodejs* runtimes (in QuickJS) and provided* custom runtimes',
    'Resources.HelloFunction.Properties.Runtime',
  )
  await rejectsWith(
    t,
    load(t, oneFunction('').replace('      Runtime: nodejs20.x\n', '')),
    'Resources.HelloFunction.Properties.Runtime: is required (in the function or Globals.Function)',
  )
})

t.test('templates that are not templates: bad YAML, a missing file, duplicate names', async (t) => {
  await rejectsWith(t, load(t, 'Resources:\n  A: [unclosed'), /template\.yaml is not a valid YAML template: /)
  await rejectsWith(t, load(t, 'Resources:\n  A: 1\n  A: 2'), /is not a valid YAML template: .*Map keys must be unique/)
  await rejectsWith(t, loadSamTemplate(path.join(t.testdir({}), 'template.yaml')), /^cannot read the template /)
  await rejectsWith(t, load(t, '- a list'), /is not a template: expected a mapping at the top level$/)
  await rejectsWith(
    t,
    load(t, oneFunction('FunctionName: same').replace('Resources:', 'Resources:\n  Other:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: src, Handler: index.handler, Runtime: nodejs20.x, FunctionName: same }')),
    'Resources.HelloFunction: has the function name "same", as Other does',
  )
  const noTransform = await load(t, oneFunction('').replace('Transform: AWS::Serverless-2016-10-31', ''))
  t.strictSame(noTransform.warnings.map((w) => w.path), ['Transform'])
  const inline = await load(t, oneFunction('InlineCode: "exports.handler = async () => 42"').replace('      CodeUri: src\n', ''))
  t.strictSame(byId(inline, 'HelloFunction').deploy.code, { files: { 'index.js': 'exports.handler = async () => 42' } })
})

t.test('directory mode: every subfolder with an index.* is a function', async (t) => {
  const dir = t.testdir({
    alpha: { 'index.mjs': 'export const handler = async (event) => ({ alpha: event.n + 1 })' },
    beta: { 'index.js': 'exports.handler = async () => "beta"', 'other.js': '' },
    'no-index': { 'app.js': '' },
    '.hidden': { 'index.js': '' },
    node_modules: { pkg: { 'index.js': '' } },
    'bad name': { 'index.js': '' },
    'README.md': 'not a folder',
  })
  const loaded = await loadFunctionsDir(dir)
  t.same(loaded.source, { kind: 'directory', path: dir })
  t.strictSame(
    loaded.functions.map((f) => f.deploy),
    [
      { name: 'alpha', runtime: 'quickjs', handler: 'index.handler', code: { dir: path.join(dir, 'alpha') } },
      { name: 'beta', runtime: 'quickjs', handler: 'index.handler', code: { dir: path.join(dir, 'beta') } },
    ],
  )
  t.strictSame(loaded.functions[0]?.serve, {})
  t.strictSame(
    loaded.warnings.map((w) => [w.resource, w.message]),
    [['bad name', 'is not a valid function name (1-64 letters, digits, "-" and "_"); skipped']],
  )

  await using host = await createHost({ shards: 0 })
  for (const fn of loaded.functions) if (fn.deploy.runtime === 'quickjs') await host.deploy(fn.deploy)
  const alpha = await host.invoke('alpha', { n: 41 })
  const beta = await host.invoke('beta', {})
  t.strictSame([alpha.ok && alpha.payload, beta.ok && beta.payload], [{ alpha: 42 }, 'beta'])

  await rejectsWith(t, loadFunctionsDir(path.join(dir, 'nope')), /^functions folder not found: /)
})

t.test('loadFunctions: a template file, a folder with template.yaml, or a functions folder', async (t) => {
  const withTemplate = t.testdir({ 'template.yaml': oneFunction(''), src: { 'index.mjs': 'export const handler = async () => 1' } })
  const fromFolder = await loadFunctions(withTemplate)
  t.equal(fromFolder.source.kind, 'template')
  t.equal(fromFolder.functions[0]?.logicalId, 'HelloFunction')
  const fromFile = await loadFunctions(path.join(withTemplate, 'template.yaml'))
  t.equal(fromFile.source.path, path.join(withTemplate, 'template.yaml'))

  const plain = t.testdir({ fn: { 'index.mjs': 'export const handler = async () => 1' } })
  const fromDir = await loadFunctions(plain)
  t.equal(fromDir.source.kind, 'directory')
  t.strictSame(
    fromDir.functions.map((f) => f.logicalId),
    ['fn'],
  )
})
