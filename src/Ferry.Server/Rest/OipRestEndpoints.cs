using System.Diagnostics;
using System.Globalization;
using Ferry.Delivery.Live;
using Ferry.Delivery.Routing;
using Ferry.Delivery.Shadow;
using Ferry.Inference;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;
using Ferry.Server.Hosting;
using Ferry.Server.Metrics;
using Ferry.Server.Oip;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Server.Rest;

/// <summary>The Open Inference Protocol over REST: health, metadata and inference under <c>/v2</c>.</summary>
public static class OipRestEndpoints
{
    public const string InferenceHeaderContentLength = "Inference-Header-Content-Length";

    public static IEndpointRouteBuilder MapOipRest(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2");
        v2.MapGet("", (ServerInfo info) => TypedResults.Json(info.Metadata, RestJson.Relaxed.ServerMetadata));
        v2.MapGet("/health/live", () => TypedResults.Ok());
        v2.MapGet("/health/ready", (ModelManager models) => models.IsReady
            ? Results.Ok()
            : Results.Json(new ErrorBody("the server is not ready: models are still loading or failed to load"), RestJson.Relaxed.ErrorBody, statusCode: 503));

        v2.MapGet("/models/{name}", (string name, ModelManager models) => Metadata(models, name, null));
        v2.MapGet("/models/{name}/versions/{version}", (string name, string version, ModelManager models) => Metadata(models, name, version));
        v2.MapGet("/models/{name}/ready", (string name, ModelManager models) => Ready(models, name, null));
        v2.MapGet("/models/{name}/versions/{version}/ready", (string name, string version, ModelManager models) => Ready(models, name, version));
        v2.MapGet("/models/{name}/config", (string name, ModelManager models) => Config(models, name, null));
        v2.MapGet("/models/{name}/versions/{version}/config", (string name, string version, ModelManager models) => Config(models, name, version));
        // The inference path's singletons, looked up once on the first request rather than on every one.
        var provider = app.ServiceProvider;
        InferServices? services = null;
        v2.MapPost("/models/{name}/infer", (HttpContext context, string name) => InferAsync(services ??= new InferServices(provider), context, name, null));
        v2.MapPost("/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version) => InferAsync(services ??= new InferServices(provider), context, name, version));
        return app;
    }

    /// <summary>
    /// Answers <c>POST /v2/models/{name}/infer</c> and <c>.../versions/{version}/infer</c> ahead of endpoint routing,
    /// with the same handler: matching the route, binding its values and invoking the endpoint cost ~1 µs of a ~25 µs
    /// inference. Call it after the middleware that must see inference (auth) and before <c>UseRouting</c>; any other
    /// spelling of the path (case, a trailing slash) is left to the mapped endpoints, which answer it the same way.
    /// </summary>
    public static WebApplication UseOipInferShortcut(this WebApplication app)
    {
        var provider = app.Services;
        InferServices? services = null;
        app.Use(next => context =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && TryMatchInfer(context.Request.Path.Value, out var name, out var version))
            {
                var answering = InferAsync(services ??= new InferServices(provider), context, name, version);
                if (!answering.IsCompleted)
                {
                    t_answersItself = context;
                }

                return answering;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The request whose handler, on this thread, just returned a task still running that never fails (it answers its
    /// own errors); set by the shortcut, taken by <see cref="OipExceptionMiddleware"/> as the call returns to it.
    /// </summary>
    [ThreadStatic]
    private static HttpContext? t_answersItself;

    /// <summary>Forgets any mark left on this thread (by a handler that resumed elsewhere); called before the pipeline runs.</summary>
    internal static void ClearAnswersItself() => t_answersItself = null;

    /// <summary>
    /// Whether the task just returned for <paramref name="context"/> on this thread is the inference handler's, which
    /// never fails, so that nothing needs to await it for errors; takes the mark.
    /// </summary>
    internal static bool TakeAnswersItself(HttpContext context)
    {
        var marked = ReferenceEquals(t_answersItself, context);
        t_answersItself = null;
        return marked;
    }

    /// <summary>Reads <c>/v2/models/{name}/infer</c> or <c>/v2/models/{name}/versions/{version}/infer</c>, exactly.</summary>
    internal static bool TryMatchInfer(string? path, out string name, out string? version)
    {
        const string prefix = "/v2/models/";
        name = "";
        version = null;
        if (path is null || !path.StartsWith(prefix, StringComparison.Ordinal) || !path.EndsWith("/infer", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path.AsSpan(prefix.Length, path.Length - prefix.Length - "/infer".Length);
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            if (rest.IsEmpty)
            {
                return false;
            }

            name = NameCache.Get(rest);
            return true;
        }

        var segment = rest[..slash];
        var tail = rest[(slash + 1)..];
        if (segment.IsEmpty || !tail.StartsWith("versions/", StringComparison.Ordinal))
        {
            return false;
        }

        var versionText = tail["versions/".Length..];
        if (versionText.IsEmpty || versionText.Contains('/'))
        {
            return false;
        }

        name = NameCache.Get(segment);
        version = NameCache.Get(versionText);
        return true;
    }

    private static IResult Metadata(ModelManager models, string name, string? version)
    {
        var versions = version is null ? models.Versions(name) : [models.Find(name, version)];
        var shown = versions.Count > 0 ? versions[^1] : models.Find(name, null);
        return TypedResults.Json(
            new ModelMetadata(name, versions.Select(v => v.VersionText).ToArray(), "onnxruntime_onnx", Describe(shown.Signature.Inputs), Describe(shown.Signature.Outputs)),
            RestJson.Relaxed.ModelMetadata);
    }

    private static IResult Ready(ModelManager models, string name, string? version)
    {
        models.Find(name, version);
        return TypedResults.Ok();
    }

    private static IResult Config(ModelManager models, string name, string? version)
    {
        var v = models.Find(name, version);
        return TypedResults.Json(
            new ModelConfigResponse(name, "onnxruntime_onnx", "onnxruntime", v.Config.MaxBatchSize, v.InstanceCount, Describe(v.Signature.Inputs), Describe(v.Signature.Outputs)),
            RestJson.Relaxed.ModelConfigResponse);
    }

    internal static TensorMetadata[] Describe(IReadOnlyList<TensorSpec> tensors) =>
        tensors.Select(t => new TensorMetadata(t.Name, t.DataType.ToProtocolName(), t.Shape)).ToArray();

    private static async Task InferAsync(InferServices services, HttpContext context, string name, string? version)
    {
        var started = Stopwatch.GetTimestamp();
        var engine = services.Engine;
        var metrics = services.Metrics;
        var limit = services.MaxRequestBodyBytes;
        var ct = context.RequestAborted;
        var modelLabel = FerryMetrics.UnknownModel;
        var versionLabel = "";
        var routed = false;
        RouteDecision route = default;
        var counted = false;
        try
        {
            try
            {
                if (version is null)
                {
                    // A deployment's name: one lookup, and a hash when a key is sent; any other name costs the lookup only.
                    var router = services.Router;
                    if (router.TryGetEntry(name, out var entry))
                    {
                        var headers = context.Request.Headers;
                        route = DeploymentRouter.Route(entry, headers[router.KeyHeader].ToString(), IsTrue(headers[DeploymentRouter.PreviewHeader].ToString()));
                        routed = true;
                        name = route.Target;
                        version = route.Variant.VersionText;
                        context.Response.Headers[DeploymentRouter.VersionHeader] = version;
                    }
                }

                // Resolve the model first so that an unknown model is a 404 whatever the body holds.
                var target = engine.Models.Find(name, version);
                modelLabel = target.Name;
                versionLabel = target.VersionText;

                using var request = await ReadRequestAsync(context.Request, target.Name, limit, ct);
                var inferStarted = Stopwatch.GetTimestamp();
                InferenceResult result;
                // The engine's InferAsync in its parts, awaited here: one state machine less while the request queues.
                var call = StartInference(engine, routed, route, inferStarted, name, version, request.Inputs, request.OutputNames, ct, request.Id);
                try
                {
                    result = engine.Finish(call, await call.Outputs);
                }
                catch (FerryException e)
                {
                    InferenceFailed(engine, call, e, routed, route, inferStarted);
                    throw;
                }
                finally
                {
                    engine.End(call);
                }

                using var answered = result;
                versionLabel = result.ModelVersion;
                if (routed)
                {
                    var latency = Stopwatch.GetElapsedTime(inferStarted);
                    route.Variant.Stats.Record(latency, failed: false, PredictionValue.Of(result.Outputs, target.PredictionOutput), request.Id);
                    if (route.Entry.Shadow is { } shadow && DeploymentRouter.ShouldShadow(route.Entry))
                    {
                        var compared = ShadowCopy.NameOf(result.Outputs, target.PredictionOutput);
                        services.Shadows.TryEnqueue(new ShadowCopy(
                            name, shadow.VersionText, shadow.Timeout, shadow.Stats, ShadowCopy.CopyOf(request.Inputs), ShadowCopy.ValuesOf(result.Outputs, compared), latency, compared));
                    }
                }

                using var output = new PooledBufferWriter(16 * 1024);
                var jsonLength = InferResponseWriter.Write(output, request, result);
                var response = context.Response;
                response.StatusCode = StatusCodes.Status200OK;
                if (jsonLength is { } length)
                {
                    response.ContentType = "application/octet-stream";
                    response.Headers[InferenceHeaderContentLength] = length.ToString(CultureInfo.InvariantCulture);
                }
                else
                {
                    response.ContentType = "application/json";
                }

                response.ContentLength = output.WrittenCount;
                await response.Body.WriteAsync(output.WrittenMemory, ct);
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), null);
            }
            catch (FerryException e)
            {
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), FerryMetrics.Reason(e.Code));
                counted = true;
                await OipErrors.WriteAsync(context, OipErrors.StatusCode(e.Code), e.Message);
            }
            catch (BadHttpRequestException e)
            {
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), "invalid_argument");
                counted = true;
                await OipErrors.WriteAsync(context, e.StatusCode, e.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), "cancelled");
            }
            catch (IOException)
            {
                // The connection broke (reset while the body was read or the answer written): nobody is left to answer,
                // and it is not the server's error to log.
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), "cancelled");
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away while an error was being answered; there is nobody left to answer.
        }
        catch (Exception e)
        {
            // Anything else (a bug, or the connection failing while an error was answered) is logged and answered 500
            // in the protocol's shape if nothing was sent yet: this task never fails, so OipExceptionMiddleware
            // returns it to Kestrel without awaiting it (see TakeAnswersItself). A request already counted (its error
            // answer failed to write) is not counted again.
            if (!counted)
            {
                metrics.RequestAnswered(modelLabel, versionLabel, "rest", Stopwatch.GetElapsedTime(started), "internal");
            }

            await OipExceptionMiddleware.AnswerUnexpectedAsync(context, e, services.Logger);
        }
    }

    /// <summary>
    /// Starts a request on the engine (<see cref="InferenceEngine.Start"/>); a refusal that counts against a routed
    /// version goes into its stats. REST and gRPC await the call's outputs in their own handlers.
    /// </summary>
    internal static InferenceCall StartInference(InferenceEngine engine, bool routed, in RouteDecision route, long inferStarted, string name, string? version,
        IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct, string? requestId)
    {
        try
        {
            return engine.Start(name, version, inputs, requestedOutputs, ct, requestId);
        }
        catch (FerryException e) when (routed && CountsAgainstVersion(e))
        {
            route.Variant.Stats.Record(Stopwatch.GetElapsedTime(inferStarted), failed: true, double.NaN);
            throw;
        }
    }

    /// <summary>Records a started request's failure in the engine and, when it counts against a routed version, in its stats.</summary>
    internal static void InferenceFailed(InferenceEngine engine, in InferenceCall call, FerryException error, bool routed, in RouteDecision route, long inferStarted)
    {
        engine.Failed(call, error);
        if (routed && CountsAgainstVersion(error))
        {
            route.Variant.Stats.Record(Stopwatch.GetElapsedTime(inferStarted), failed: true, double.NaN);
        }
    }

    /// <summary>
    /// Failures that say something about the version, not about the request, count in its error rate: server-side
    /// errors, and ONNX Runtime refusing values that passed validation (the version fails where another may not).
    /// </summary>
    internal static bool CountsAgainstVersion(FerryException e) =>
        e.Code is not (ErrorCode.InvalidArgument or ErrorCode.PayloadTooLarge or ErrorCode.NotFound)
        || e.InnerException is Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

    private static bool IsTrue(string value) =>
        value.Length > 0 && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads and decodes the body. A JSON body's buffer goes back to the pool before the model runs, since its tensors
    /// hold copies; a binary one stays with the request, whose tensors view it. Decoding errors are prefixed with the
    /// model's name, as the validator's are.
    /// </summary>
    private static async ValueTask<InferRequest> ReadRequestAsync(HttpRequest http, string model, long limit, CancellationToken ct)
    {
        try
        {
            int? headerLength = null;
            if (http.Headers.TryGetValue(InferenceHeaderContentLength, out var header))
            {
                if (!int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    throw FerryException.Invalid($"{InferenceHeaderContentLength} must be a whole number, not '{header}'");
                }

                headerLength = parsed;
            }

            // Binary data lands 8-byte aligned, so its tensors view the body in place; the request then owns the body.
            var body = await RequestBody.ReadAsync(http, limit, ct, headerLength ?? 0);
            try
            {
                var request = InferRequestReader.Read(body, headerLength);
                if (request.Body is null)
                {
                    body.Dispose();
                }

                return request;
            }
            catch
            {
                body.Dispose();
                throw;
            }
        }
        catch (FerryException e) when (e.Code is ErrorCode.InvalidArgument or ErrorCode.PayloadTooLarge)
        {
            throw new FerryException(e.Code, $"model '{model}': {e.Message}", e);
        }
    }

    /// <summary>The singletons <see cref="InferAsync"/> uses, resolved together.</summary>
    private sealed class InferServices(IServiceProvider provider)
    {
        public InferenceEngine Engine { get; } = provider.GetRequiredService<InferenceEngine>();

        public FerryMetrics Metrics { get; } = provider.GetRequiredService<FerryMetrics>();

        public long MaxRequestBodyBytes { get; } = provider.GetRequiredService<IOptions<ServerOptions>>().Value.MaxRequestBodyBytes;

        public DeploymentRouter Router { get; } = provider.GetRequiredService<DeploymentRouter>();

        public ShadowDispatcher Shadows { get; } = provider.GetRequiredService<ShadowDispatcher>();

        public ILogger Logger { get; } = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OipRestEndpoints).FullName!);
    }
}
