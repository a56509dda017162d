using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Ferry.Inference.Models;

/// <summary>
/// Loads, reloads and unloads models from the repositories and hands out leases on the loaded versions.
/// </summary>
/// <remarks>
/// Each model name has one immutable <see cref="ServedModel"/> snapshot, swapped atomically. A reload loads every
/// new version first, swaps the snapshot, then retires the old versions, which finish their requests in flight
/// before their sessions are disposed: no request fails because of a reload. A failed load keeps the old
/// snapshot serving and records why.
/// </remarks>
public sealed partial class ModelManager : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ModelRepository _repository;
    private readonly InferenceOptions _options;
    private readonly IInferenceObserver _observer;
    private readonly ILogger<ModelManager> _logger;
    private volatile bool _started;

    public ModelManager(ModelRepository repository, InferenceOptions options, IInferenceObserver observer, ILogger<ModelManager> logger)
    {
        _repository = repository;
        _options = options;
        _observer = observer;
        _logger = logger;
    }

    public ModelRepository Repository => _repository;

    /// <summary>True once the start-up loads are done and every model that should be served has a version.</summary>
    public bool IsReady => _started && _models.Values.All(m => !m.Wanted || m.Latest is not null);

    /// <summary>Loads every model of the repositories; a model that fails is reported and the others go on.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        if (_options.LoadAllAtStart)
        {
            foreach (var name in _repository.ListModels())
            {
                try
                {
                    await LoadAsync(name, cancellationToken).ConfigureAwait(false);
                }
                catch (FerryException e)
                {
                    LogLoadFailed(name, e.Message);
                }
            }
        }

        _started = true;
    }

    /// <summary>Loads or reloads a model; throws <see cref="FerryException"/> when it cannot, leaving what served before.</summary>
    public async Task LoadAsync(string name, CancellationToken cancellationToken)
    {
        // A name that is not in the repositories must leave no trace: an entry for it would be 'wanted' without a
        // version, turn later 404s into 503s and keep the server unready for good.
        if (!_models.ContainsKey(name) && _repository.FindModel(name) is null)
        {
            throw NotInRepositories(name);
        }

        RefusePublished(name);

        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _models.GetValueOrDefault(name) ?? ServedModel.Empty;
            ServedModel next;
            try
            {
                _models[name] = old with { State = old.Latest is null ? ModelState.Loading : old.State, Wanted = true };
                // Not cancellable once the entry says LOADING: a request aborted here would leave it so for good.
                next = await Task.Run(() => LoadVersions(name), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FerryException or IOException or UnauthorizedAccessException)
            {
                var reason = e.Message;
                if (e is FerryException { Code: ErrorCode.NotFound } && old.Versions.Count == 0)
                {
                    // The folder went away while loading and nothing was served: forget the name.
                    _models.TryRemove(name, out _);
                    throw;
                }

                _models[name] = old with { State = old.Latest is null ? ModelState.Unavailable : ModelState.Ready, Reason = reason, Wanted = true };
                _observer.LoadFailed(name, reason);
                if (e is FerryException { Code: ErrorCode.NotFound })
                {
                    throw;
                }

                throw new FerryException(ErrorCode.InvalidArgument, $"failed to load model '{name}': {reason}", e);
            }

            _models[name] = next;
            foreach (var version in next.Versions.Values)
            {
                _observer.VersionLoaded(name, version.Version, version.LoadTime);
                LogLoaded(name, version.Version, version.LoadTime.TotalMilliseconds);
            }

            foreach (var version in old.Versions.Values)
            {
                version.Retire();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops serving a model; requests in flight finish first.</summary>
    public async Task UnloadAsync(string name, CancellationToken cancellationToken)
    {
        if (!_models.ContainsKey(name) && _repository.FindModel(name) is null)
        {
            throw FerryException.NotFound($"unknown model '{name}'");
        }

        RefusePublished(name);
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _models.GetValueOrDefault(name) ?? ServedModel.Empty;
            _models[name] = ServedModel.Empty with { Reason = "unloaded" };
            foreach (var version in old.Versions.Values)
            {
                version.Retire();
            }

            LogUnloaded(name);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Takes a lease on a version (the latest when <paramref name="version"/> is null or empty).</summary>
    /// <exception cref="FerryException">NotFound for an unknown model or version, Unavailable for one not loaded.</exception>
    public ModelLease Acquire(string name, string? version)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var found = Find(name, version);
            if (found.TryAcquire())
            {
                return new ModelLease(found);
            }

            // Retired between the lookup and the lease: the snapshot has been swapped, look again.
        }

        throw FerryException.Unavailable($"model '{name}' is being reloaded; try again");
    }

    /// <summary>The loaded version named, without a lease (for metadata).</summary>
    public ModelVersion Find(string name, string? version)
    {
        if (!_models.TryGetValue(name, out var served))
        {
            throw FerryException.NotFound($"unknown model '{name}'");
        }

        if (string.IsNullOrEmpty(version))
        {
            return served.Latest ?? throw FerryException.Unavailable(
                $"model '{name}' is not ready (state {served.State.ToProtocolName()}{(served.Reason.Length > 0 ? ": " + served.Reason : "")})");
        }

        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw FerryException.NotFound($"model '{name}' has no version '{version}'; versions are whole numbers of 1 or more");
        }

        if (served.Versions.TryGetValue(number, out var loaded))
        {
            return loaded;
        }

        if (served.Latest is null)
        {
            throw FerryException.Unavailable($"model '{name}' is not ready (state {served.State.ToProtocolName()})");
        }

        throw FerryException.NotFound($"model '{name}' has no version {number} loaded; loaded: {string.Join(", ", served.Versions.Keys)}");
    }

    /// <summary>All versions served for a model, ascending; empty when none is loaded.</summary>
    public IReadOnlyList<ModelVersion> Versions(string name)
    {
        if (!_models.TryGetValue(name, out var served))
        {
            throw FerryException.NotFound($"unknown model '{name}'");
        }

        return served.Versions.Values.OrderBy(v => v.Version).ToArray();
    }

    /// <summary>The repository index: every model in the repositories and every loaded one, with versions and states.</summary>
    public IReadOnlyList<ModelIndexEntry> Index(bool readyOnly)
    {
        var names = new SortedSet<string>(_repository.ListModels(), StringComparer.Ordinal);
        names.UnionWith(_models.Keys);
        var entries = new List<ModelIndexEntry>();
        foreach (var name in names)
        {
            var served = _models.GetValueOrDefault(name) ?? ServedModel.Empty with { Reason = "not loaded" };
            if (served.Versions.Count == 0)
            {
                if (!readyOnly)
                {
                    entries.Add(new ModelIndexEntry(name, "", served.State, served.Reason));
                }

                continue;
            }

            foreach (var version in served.Versions.Values.OrderBy(v => v.Version))
            {
                entries.Add(new ModelIndexEntry(name, version.VersionText, ModelState.Ready, served.Reason));
            }
        }

        return entries;
    }

    public void Dispose()
    {
        foreach (var served in _models.Values)
        {
            foreach (var version in served.Versions.Values)
            {
                version.Retire();
            }
        }

        _models.Clear();
    }

    private ServedModel LoadVersions(string name)
    {
        var directory = _repository.FindModel(name) ?? throw NotInRepositories(name);
        var config = ModelConfig.Load(directory);
        var available = ModelRepository.FindVersions(directory, config.ModelFileName);
        var selected = (config.VersionPolicy ?? VersionPolicy.LatestOne).Select(available.Keys.ToArray());
        if (selected.Count == 0)
        {
            throw FerryException.Invalid(available.Count == 0
                ? $"no version folder of '{name}' holds {config.ModelFileName}"
                : $"the version policy selects none of the versions present ({string.Join(", ", available.Keys)})");
        }

        var loaded = new Dictionary<long, ModelVersion>();
        try
        {
            foreach (var version in selected)
            {
                loaded[version] = ModelVersion.Load(name, version, available[version], config, _options, _observer);
            }
        }
        catch
        {
            foreach (var version in loaded.Values)
            {
                version.Retire();
            }

            throw;
        }

        return new ServedModel { Versions = loaded, Latest = loaded[selected[^1]], State = ModelState.Ready, Wanted = true };
    }

    private void RefusePublished(string name)
    {
        if (IsPublished(name))
        {
            throw FerryException.Invalid($"model '{name}' is served from the model registry: move its alias instead of loading or unloading it");
        }
    }

    private FerryException NotInRepositories(string name) =>
        FerryException.NotFound($"model '{name}' is not in the model repositories ({string.Join(", ", _repository.Roots)})");

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loaded model {Model} version {Version} in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string model, long version, double milliseconds);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Model {Model} failed to load: {Reason}")]
    private partial void LogLoadFailed(string model, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Unloaded model {Model}")]
    private partial void LogUnloaded(string model);
}
