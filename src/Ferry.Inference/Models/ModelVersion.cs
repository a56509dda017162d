using System.Diagnostics;
using Ferry.Inference.Batching;
using Ferry.Inference.Execution;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Models;

/// <summary>
/// One loaded version of a model: its ONNX Runtime sessions (one per instance), its signature and its leases.
/// </summary>
/// <remarks>
/// Requests take a lease with <see cref="TryAcquire"/> and give it back with <see cref="Release"/>. When the
/// version is replaced or unloaded it is <see cref="Retire">retired</see>: new leases are refused and the sessions
/// are disposed when the last lease is given back, so requests in flight always finish.
/// </remarks>
public sealed class ModelVersion
{
    private readonly InferenceSession[] _sessions;
    private readonly OnnxRunner _runner;
    private ModelScheduler? _scheduler;
    private int _leases;
    private int _retired;
    private int _disposed;

    private ModelVersion(string name, long version, string path, ModelConfig config, ModelSignature signature, InferenceSession[] sessions, TimeSpan loadTime)
    {
        Name = name;
        Version = version;
        Path = path;
        Config = config;
        Signature = signature;
        _sessions = sessions;
        LoadTime = loadTime;
        _runner = new OnnxRunner(signature, sessions);
        PredictionOutput = PredictionOutputs.Of(signature)?.Name;
        VersionText = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Name { get; }

    public long Version { get; }

    public string VersionText { get; }

    public string Path { get; }

    public ModelConfig Config { get; }

    public ModelSignature Signature { get; }

    public TimeSpan LoadTime { get; }

    /// <summary>The output that holds the prediction (<see cref="PredictionOutputs"/>); null when the model has none.</summary>
    public string? PredictionOutput { get; }

    public int InstanceCount => _sessions.Length;

    /// <summary>Loads the sessions, reads the signature and warms every session up with one run.</summary>
    public static ModelVersion Load(string name, long version, string path, ModelConfig config, InferenceOptions options, IInferenceObserver observer)
    {
        var started = Stopwatch.GetTimestamp();
        var sessions = new InferenceSession[config.InstanceCount];
        try
        {
            for (var i = 0; i < sessions.Length; i++)
            {
                using var sessionOptions = CreateSessionOptions(options);
                try
                {
                    sessions[i] = new InferenceSession(path, sessionOptions);
                }
                catch (OnnxRuntimeException e)
                {
                    throw FerryException.Invalid($"model '{name}' version {version}: ONNX Runtime cannot load {System.IO.Path.GetFileName(path)}: {e.Message}");
                }
            }

            var signature = SignatureReader.Read(name, version, sessions[0], config);
            var loaded = new ModelVersion(name, version, path, config, signature, sessions, TimeSpan.Zero);
            loaded.WarmUp();
            loaded._runner.Dispose();
            var ready = new ModelVersion(name, version, path, config, signature, sessions, Stopwatch.GetElapsedTime(started));
            ready._scheduler = new ModelScheduler(ready, ready._runner, sessions, observer);
            return ready;
        }
        catch
        {
            foreach (var session in sessions)
            {
                session?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Validates the request against the signature and queues it for the next free instance.</summary>
    /// <returns>The outputs; the caller owns and disposes them. The inputs stay the caller's and must live until then.</returns>
    public Task<List<InferTensor>> InferAsync(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken)
    {
        InputValidator.Validate(this, inputs, requestedOutputs);
        return _scheduler!.EnqueueAsync(inputs, requestedOutputs, cancellationToken);
    }

    public bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) != 0)
        {
            Release();
            return false;
        }

        return true;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) != 0)
        {
            DisposeSessions();
        }
    }

    /// <summary>Refuses new leases; the sessions are disposed once the requests in flight are done.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0)
        {
            DisposeSessions();
        }
    }

    private void WarmUp()
    {
        var inputs = new List<InferTensor>();
        try
        {
            foreach (var spec in Signature.Inputs)
            {
                var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
                inputs.Add(spec.DataType == DataType.Bytes
                    ? InferTensor.FromStrings(spec.Name, shape, Enumerable.Repeat(Array.Empty<byte>(), Shapes.ElementCount(shape)).ToArray())
                    : InferTensor.Allocate(spec.Name, spec.DataType, shape));
            }

            foreach (var session in _sessions)
            {
                try
                {
                    foreach (var output in _runner.Run(session, inputs, null))
                    {
                        output.Dispose();
                    }
                }
                catch (OnnxRuntimeException e)
                {
                    throw FerryException.Invalid($"model '{Name}' version {Version}: warm-up run failed: {e.Message}");
                }
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    private void DisposeSessions()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // No lease is left, so the queue is empty and the workers are idle: stop them, then free the sessions.
        _scheduler?.Complete();
        _runner.Dispose();

        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }

    private static SessionOptions CreateSessionOptions(InferenceOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(options.IntraOpThreads, 1),
            InterOpNumThreads = Math.Max(options.InterOpThreads, 1),
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        return sessionOptions;
    }
}
