// N-API surface of the native core. Arguments are checked for type here so bad calls throw instead of
// crashing; range and shape rules (ragged batches, nonce ranges, lengths) are checked in
// src/core/native.ts with the shared helpers, so every backend raises the same typed errors.
#include <napi.h>

#include <cstring>

#include "phase.h"
#include "sha256.h"

namespace {

// One napi_get_typedarray_info call per argument (the C++ wrappers make three or four, which shows
// up in the per-call cost of single hashes).
template <typename T>
bool typed_arg(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type want, const char* what, T*& data,
               size_t& len) {
  napi_typedarray_type type;
  void* ptr = nullptr;
  if (info.Length() <= i ||
      napi_get_typedarray_info(info.Env(), info[i], &type, &len, &ptr, nullptr, nullptr) != napi_ok ||
      type != want) {
    Napi::TypeError::New(info.Env(), what).ThrowAsJavaScriptException();
    return false;
  }
  data = static_cast<T*>(ptr);
  return true;
}

bool bytes_arg(const Napi::CallbackInfo& info, size_t i, const uint8_t*& data, size_t& len) {
  return typed_arg(info, i, napi_uint8_array, "expected a Uint8Array", data, len);
}

bool f64_arg(const Napi::CallbackInfo& info, size_t i, double*& data, size_t& len) {
  return typed_arg(info, i, napi_float64_array, "expected a Float64Array", data, len);
}

bool num_arg(const Napi::CallbackInfo& info, size_t i, double& out) {
  if (info.Length() <= i || napi_get_value_double(info.Env(), info[i], &out) != napi_ok) {
    Napi::TypeError::New(info.Env(), "expected a number").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// Per-environment (main thread or worker) home for (r, psi): a Float64Array(2) registered by JS, so
// small calls return through it instead of allocating an object in C++ (~2× faster at N = 64).
struct InstanceData {
  Napi::Reference<Napi::Float64Array> result;
  double* slot = nullptr;
};

Napi::Value order_object(Napi::Env env, bloom::Order o) {
  InstanceData* data = env.GetInstanceData<InstanceData>();
  if (data && data->slot) {
    data->slot[0] = o.r;
    data->slot[1] = o.psi;
    return env.Undefined();
  }
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("r", o.r);
  obj.Set("psi", o.psi);
  return obj;
}

// bindResult(Float64Array(2)): orderParameter/kuramotoIntegrate then write r, psi there and return undefined.
Napi::Value BindResult(const Napi::CallbackInfo& info) {
  double* slot;
  size_t n;
  if (!f64_arg(info, 0, slot, n)) return info.Env().Undefined();
  if (n < 2) {
    Napi::RangeError::New(info.Env(), "result buffer needs 2 doubles").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  InstanceData* data = info.Env().GetInstanceData<InstanceData>();
  data->result = Napi::Persistent(info[0].As<Napi::Float64Array>());
  data->slot = slot;
  return info.Env().Undefined();
}

// sha256dInto(data, out): writes 32 bytes into out (the caller allocates, saving an ArrayBuffer here).
Napi::Value Sha256dInto(const Napi::CallbackInfo& info) {
  const uint8_t *data, *outc;
  size_t len, out_len;
  if (!bytes_arg(info, 0, data, len) || !bytes_arg(info, 1, outc, out_len)) return info.Env().Undefined();
  if (out_len < 32) {
    Napi::RangeError::New(info.Env(), "output shorter than 32 bytes").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  bloom::sha256d(data, len, const_cast<uint8_t*>(outc));
  return info.Env().Undefined();
}

// sha256dBatchInto(data, itemSize, out): out holds 32 bytes per item.
Napi::Value Sha256dBatchInto(const Napi::CallbackInfo& info) {
  const uint8_t *data, *outc;
  size_t len, out_len;
  double item;
  if (!bytes_arg(info, 0, data, len) || !num_arg(info, 1, item) || !bytes_arg(info, 2, outc, out_len))
    return info.Env().Undefined();
  if (!(item >= 1 && item <= 9007199254740991.0) || item != double(size_t(item)) || len % size_t(item) != 0 ||
      out_len < 32 * (len / size_t(item))) {
    Napi::RangeError::New(info.Env(), "bad batch shape").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  bloom::sha256d_batch(data, size_t(item), len / size_t(item), const_cast<uint8_t*>(outc));
  return info.Env().Undefined();
}

Napi::Value GrindNonces(const Napi::CallbackInfo& info) {
  const uint8_t *header, *target;
  size_t hlen, tlen;
  double start, count;
  if (!bytes_arg(info, 0, header, hlen) || !bytes_arg(info, 1, target, tlen) || !num_arg(info, 2, start) ||
      !num_arg(info, 3, count))
    return info.Env().Undefined();
  if (hlen != 118 || tlen != 32 || !(start >= 0) || !(count >= 0) || start + count > 4294967296.0 ||
      start != double(uint64_t(start)) || count != double(uint64_t(count))) {
    Napi::RangeError::New(info.Env(), "bad grind arguments").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return Napi::Number::New(info.Env(),
                           double(bloom::grind_nonces(header, target, uint64_t(start), uint64_t(count))));
}

Napi::Value OrderParameter(const Napi::CallbackInfo& info) {
  double* ph;
  size_t n;
  if (!f64_arg(info, 0, ph, n)) return info.Env().Undefined();
  return order_object(info.Env(), bloom::order_parameter(ph, n));
}

Napi::Value KuramotoIntegrate(const Napi::CallbackInfo& info) {
  double *ph, *om;
  size_t n, m;
  double k, dt, steps;
  if (!f64_arg(info, 0, ph, n) || !f64_arg(info, 1, om, m) || !num_arg(info, 2, k) || !num_arg(info, 3, dt) ||
      !num_arg(info, 4, steps))
    return info.Env().Undefined();
  if (n != m || !(steps >= 0) || steps > 9007199254740991.0) {
    Napi::RangeError::New(info.Env(), "bad kuramoto arguments").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  if (ph + n > om && om + n > ph) {  // the fused pass reads omegas after writing phases
    Napi::RangeError::New(info.Env(), "phases and omegas overlap").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return order_object(info.Env(), bloom::kuramoto_integrate(ph, om, n, k, dt, (unsigned long long)steps));
}

Napi::Value SinCos(const Napi::CallbackInfo& info) {
  double x, s, c;
  if (!num_arg(info, 0, x)) return info.Env().Undefined();
  bloom::sincos_poly(x, &s, &c);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, s);
  out.Set(1u, c);
  return out;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("sha", bloom::sha_ni_active() ? "sha-ni" : "portable");
  o.Set("shaNiSupported", bloom::sha_ni_supported());
#if defined(__AVX2__)
  o.Set("vector", "avx2");
#elif defined(__SSE2__)
  o.Set("vector", "sse2");
#else
  o.Set("vector", "generic");
#endif
  return o;
}

Napi::Value SetShaNi(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBoolean()) {
    Napi::TypeError::New(info.Env(), "expected a boolean").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return Napi::Boolean::New(info.Env(), bloom::set_sha_ni(info[0].As<Napi::Boolean>().Value()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new InstanceData());
  exports.Set("bindResult", Napi::Function::New(env, BindResult));
  exports.Set("sha256dInto", Napi::Function::New(env, Sha256dInto));
  exports.Set("sha256dBatchInto", Napi::Function::New(env, Sha256dBatchInto));
  exports.Set("grindNonces", Napi::Function::New(env, GrindNonces));
  exports.Set("orderParameter", Napi::Function::New(env, OrderParameter));
  exports.Set("kuramotoIntegrate", Napi::Function::New(env, KuramotoIntegrate));
  exports.Set("sinCos", Napi::Function::New(env, SinCos));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setShaNi", Napi::Function::New(env, SetShaNi));
  return exports;
}

}  // namespace

NODE_API_MODULE(bloomcoin_native, Init)
