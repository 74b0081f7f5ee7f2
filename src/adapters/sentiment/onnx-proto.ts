/**
 * A minimal ONNX model writer: the subset of `onnx.proto` (proto2, field
 * numbers as in github.com/onnx/onnx/blob/main/onnx/onnx.proto) that the
 * sentiment model build and the tests need, encoded with protobufjs. Output is
 * a pure function of the input (no timestamps, fixed field order), so a model
 * built twice is byte-identical. Float and int64 tensors are written as
 * little-endian `raw_data`, which every ONNX reader accepts.
 */
import protobuf from 'protobufjs';

const ONNX_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  optional AttributeType type = 20;
}
message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
}
message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}
message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated bytes string_data = 6;
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}
message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** ONNX TensorProto.DataType codes used here. */
export const OnnxDataType = { FLOAT: 1, INT64: 7, STRING: 8 } as const;
export type OnnxElemType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** An attribute value: number (int if integral and `int: true`), string, or arrays of those. */
export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  /** float32 values for FLOAT, integers for INT64, strings for STRING. */
  data: Float32Array | readonly number[] | readonly string[];
  type: OnnxElemType;
}

export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  /** A number is a fixed dimension, a string a symbolic one (e.g. 'batch'). */
  shape: ReadonlyArray<number | string>;
}

export interface OnnxModelSpec {
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  /** Default-domain opset version. Default 13. */
  opset?: number;
  /** Default 7 (the IR version that goes with opset 13). */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

let cachedRoot: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  cachedRoot ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  return cachedRoot.lookupType('onnx.ModelProto');
}

function tensorMessage(t: OnnxTensor): Record<string, unknown> {
  const msg: Record<string, unknown> = { name: t.name, dims: [...t.dims], data_type: t.type };
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) throw new Error(`tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(', ')}]`);
  if (t.type === OnnxDataType.FLOAT) {
    const f = Float32Array.from(t.data as ArrayLike<number>);
    const buf = Buffer.alloc(f.length * 4);
    for (let i = 0; i < f.length; i++) buf.writeFloatLE(f[i], i * 4);
    msg.raw_data = buf;
  } else if (t.type === OnnxDataType.INT64) {
    const vals = t.data as readonly number[];
    const buf = Buffer.alloc(vals.length * 8);
    for (let i = 0; i < vals.length; i++) buf.writeBigInt64LE(BigInt(vals[i]), i * 8);
    msg.raw_data = buf;
  } else {
    msg.string_data = (t.data as readonly string[]).map((s) => Buffer.from(s, 'utf8'));
  }
  return msg;
}

function attributeMessage(name: string, a: OnnxAttribute): Record<string, unknown> {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: Buffer.from(a.value, 'utf8') };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.value] };
    case 'strings':
      return { name, type: ATTR_TYPE.STRINGS, strings: a.value.map((s) => Buffer.from(s, 'utf8')) };
    case 'tensor':
      return { name, type: ATTR_TYPE.TENSOR, t: tensorMessage(a.value) };
  }
}

function valueInfoMessage(v: OnnxValueInfo): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensor_type: { elem_type: v.type, shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } },
    },
  };
}

/**
 * Serialise a model to ONNX protobuf bytes.
 *
 * @example
 *   const bytes = encodeOnnxModel({ graphName: 'g', nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
 *     initializers: [], inputs: [{ name: 'x', type: OnnxDataType.FLOAT, shape: ['n'] }], outputs: [{ name: 'y', type: OnnxDataType.FLOAT, shape: ['n'] }] });
 */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const type = modelType();
  const message = {
    ir_version: spec.irVersion ?? 7,
    opset_import: [{ domain: '', version: spec.opset ?? 13 }],
    producer_name: spec.producerName ?? 'quant-workflows',
    producer_version: spec.producerVersion ?? '1',
    doc_string: spec.docString,
    graph: {
      name: spec.graphName,
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.opType.toLowerCase()}_${i}`,
        op_type: n.opType,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.keys(n.attributes ?? {})
          .sort()
          .map((k) => attributeMessage(k, n.attributes![k])),
      })),
      initializer: spec.initializers.map(tensorMessage),
      input: spec.inputs.map(valueInfoMessage),
      output: spec.outputs.map(valueInfoMessage),
    },
    metadata_props: Object.keys(spec.metadata ?? {})
      .sort()
      .map((key) => ({ key, value: spec.metadata![key] })),
  };
  const err = type.verify(message);
  if (err) throw new Error(`invalid ONNX model message: ${err}`);
  return type.encode(type.fromObject(message)).finish();
}
