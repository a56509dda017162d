using System.Diagnostics;
using Ferry.Delivery.Live;
using Ferry.Delivery.Routing;
using Ferry.Delivery.Shadow;
using Ferry.Server.Rest;
using Ferry.Inference;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;
using Ferry.Server.Grpc.Protocol;
using Ferry.Server.Hosting;
using Ferry.Server.Metrics;
using Grpc.Core;

namespace Ferry.Server.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC: health, metadata and inference, the twin of the REST endpoints; the
/// repository RPCs are in the other part of this class. Errors leave as <see cref="FerryException"/> and
/// <see cref="GrpcErrorInterceptor"/> gives them their status.
/// </summary>
/// <remarks>Not derived from the generated base class: <see cref="InferenceGrpcMethods"/> binds the RPCs by name.</remarks>
internal sealed partial class InferenceGrpcService
{
    private const string Protocol = "grpc";

    private readonly InferenceEngine _engine;
    private readonly ServerInfo _info;
    private readonly FerryMetrics _metrics;
    private readonly DeploymentRouter _router;
    private readonly ShadowDispatcher _shadows;

    public InferenceGrpcService(InferenceEngine engine, ServerInfo info, FerryMetrics metrics, DeploymentRouter router, ShadowDispatcher shadows)
    {
        _engine = engine;
        _info = info;
        _metrics = metrics;
        _router = router;
        _shadows = shadows;
    }

    private ModelManager Models => _engine.Models;

    public Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = Models.IsReady });

    public Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = _info.Name, Version = _info.Version };
        response.Extensions.AddRange(ServerInfo.Extensions);
        return Task.FromResult(response);
    }

    /// <remarks>
    /// An unknown model or version is NOT_FOUND, as in REST; a known model that is not loaded is a plain
    /// <c>ready: false</c>, which is what a readiness probe wants to read.
    /// </remarks>
    public Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        RequireName(request.Name, "name");
        try
        {
            Models.Find(request.Name, NullIfEmpty(request.Version));
            return Task.FromResult(new ModelReadyResponse { Ready = true });
        }
        catch (FerryException e) when (e.Code == ErrorCode.Unavailable)
        {
            return Task.FromResult(new ModelReadyResponse { Ready = false });
        }
    }

    public Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        RequireName(request.Name, "name");
        var version = NullIfEmpty(request.Version);
        var versions = version is null ? Models.Versions(request.Name) : [Models.Find(request.Name, version)];
        var shown = versions.Count > 0 ? versions[^1] : Models.Find(request.Name, null);
        var response = new ModelMetadataResponse { Name = request.Name, Platform = "onnxruntime_onnx" };
        foreach (var v in versions)
        {
            response.Versions.Add(v.VersionText);
        }

        response.Inputs.AddRange(Describe(shown.Signature.Inputs));
        response.Outputs.AddRange(Describe(shown.Signature.Outputs));
        return Task.FromResult(response);
    }

    public async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var modelLabel = FerryMetrics.UnknownModel;
        var versionLabel = "";
        List<InferTensor>? inputs = null;
        try
        {
            RequireName(request.ModelName, "model_name");
            var name = request.ModelName;
            var version = NullIfEmpty(request.ModelVersion);
            var routed = false;
            RouteDecision route = default;
            if (version is null)
            {
                if (_router.TryGetEntry(name, out var entry))
                {
                    var headers = context.RequestHeaders;
                    var preview = headers.GetValue(DeploymentRouter.PreviewHeader);
                    route = DeploymentRouter.Route(entry, headers.GetValue(_router.KeyHeader), preview is "1" || string.Equals(preview, "true", StringComparison.OrdinalIgnoreCase));
                    routed = true;
                    name = route.Target;
                    version = route.Variant.VersionText;
                    context.ResponseTrailers.Add(DeploymentRouter.VersionHeader, version);
                }
            }

            // Resolve the model first so that an unknown model is NOT_FOUND whatever the tensors hold.
            var target = Models.Find(name, version);
            modelLabel = target.Name;
            versionLabel = version ?? "";

            inputs = GrpcTensorReader.ReadInputs(request);
            var inferStarted = Stopwatch.GetTimestamp();
            InferenceResult inferred;
            // The engine's InferAsync in its parts, as REST does: one state machine less while the request queues.
            var call = OipRestEndpoints.StartInference(_engine, routed, route, inferStarted, name, version, inputs, RequestedOutputs(request), context.CancellationToken, NullIfEmpty(request.Id));
            try
            {
                inferred = _engine.Finish(call, await call.Outputs);
            }
            catch (FerryException e)
            {
                OipRestEndpoints.InferenceFailed(_engine, call, e, routed, route, inferStarted);
                throw;
            }
            finally
            {
                _engine.End(call);
            }

            using var result = inferred;
            versionLabel = result.ModelVersion;
            if (routed)
            {
                var latency = Stopwatch.GetElapsedTime(inferStarted);
                route.Variant.Stats.Record(latency, failed: false, PredictionValue.Of(result.Outputs, target.PredictionOutput), NullIfEmpty(request.Id));
                if (route.Entry.Shadow is { } shadow && DeploymentRouter.ShouldShadow(route.Entry))
                {
                    var compared = ShadowCopy.NameOf(result.Outputs, target.PredictionOutput);
                    _shadows.TryEnqueue(new ShadowCopy(name, shadow.VersionText, shadow.Timeout, shadow.Stats, ShadowCopy.CopyOf(inputs), ShadowCopy.ValuesOf(result.Outputs, compared), latency, compared));
                }
            }

            var response = new ModelInferResponse { ModelName = result.ModelName, ModelVersion = result.ModelVersion, Id = request.Id };
            GrpcTensorWriter.WriteOutputs(response, result.Outputs, raw: request.RawInputContents.Count > 0);
            _metrics.RequestAnswered(modelLabel, versionLabel, Protocol, Stopwatch.GetElapsedTime(started), null);
            return response;
        }
        catch (FerryException e)
        {
            _metrics.RequestAnswered(modelLabel, versionLabel, Protocol, Stopwatch.GetElapsedTime(started), FerryMetrics.Reason(e.Code));
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            _metrics.RequestAnswered(modelLabel, versionLabel, Protocol, Stopwatch.GetElapsedTime(started), "cancelled");
            throw;
        }
        finally
        {
            if (inputs is not null)
            {
                foreach (var input in inputs)
                {
                    input.Dispose();
                }
            }
        }
    }

    private static List<string>? RequestedOutputs(ModelInferRequest request)
    {
        if (request.Outputs.Count == 0)
        {
            return null;
        }

        var names = new List<string>(request.Outputs.Count);
        foreach (var output in request.Outputs)
        {
            names.Add(output.Name);
        }

        return names;
    }

    private static IEnumerable<ModelMetadataResponse.Types.TensorMetadata> Describe(IReadOnlyList<TensorSpec> tensors)
    {
        foreach (var spec in tensors)
        {
            var tensor = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.DataType.ToProtocolName() };
            tensor.Shape.AddRange(spec.Shape);
            yield return tensor;
        }
    }

    /// <summary>Protobuf has no null string: an empty version means "the one the server picks".</summary>
    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static void RequireName(string name, string field)
    {
        if (name.Length == 0)
        {
            throw FerryException.Invalid($"'{field}' is required");
        }
    }
}
