using System.Collections.Concurrent;

namespace Ferry.Inference.Models;

public sealed partial class ModelManager
{
    // Names whose versions are published by an outside source; the repository load and unload calls leave them alone.
    private readonly ConcurrentDictionary<string, bool> _published = new(StringComparer.Ordinal);

    /// <summary>True when the name is served from an outside source through <see cref="PublishAsync"/>.</summary>
    public bool IsPublished(string name) => _published.ContainsKey(name);

    /// <summary>
    /// Serves exactly <paramref name="versions"/> of a model, with <paramref name="defaultVersion"/> answering requests
    /// that name no version (none: the model is listed but not ready). An empty list stops serving the name.
    /// </summary>
    /// <remarks>
    /// The same swap as a repository reload: versions not loaded yet are loaded first, then the snapshot is replaced,
    /// then versions no longer published are retired and finish their requests in flight. Versions published before
    /// with the same path are kept as they are, so moving the default between loaded versions loads nothing.
    /// </remarks>
    public async Task PublishAsync(string name, IReadOnlyList<PublishedVersion> versions, long? defaultVersion, CancellationToken cancellationToken)
    {
        if (defaultVersion is { } d && !versions.Any(v => v.Version == d))
        {
            throw new ArgumentException($"the default version {d} of '{name}' is not among the versions published", nameof(defaultVersion));
        }

        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _models.GetValueOrDefault(name) ?? ServedModel.Empty;
            if (versions.Count == 0)
            {
                _published.TryRemove(name, out _);
                _models.TryRemove(name, out _);
                RetireAll(old.Versions.Values, keep: null);
                LogUnloaded(name);
                return;
            }

            _published[name] = true;
            var loaded = new Dictionary<long, ModelVersion>();
            try
            {
                foreach (var wanted in versions)
                {
                    if (old.Versions.TryGetValue(wanted.Version, out var current) && current.Path == wanted.Path)
                    {
                        loaded[wanted.Version] = current;
                        continue;
                    }

                    // Not cancellable: an abandoned load would leak its sessions.
                    var version = await Task.Run(() => ModelVersion.Load(name, wanted.Version, wanted.Path, wanted.Config, _options, _observer), CancellationToken.None)
                        .ConfigureAwait(false);
                    loaded[wanted.Version] = version;
                    _observer.VersionLoaded(name, version.Version, version.LoadTime);
                    LogLoaded(name, version.Version, version.LoadTime.TotalMilliseconds);
                }
            }
            catch (Exception e) when (e is FerryException or IOException or UnauthorizedAccessException)
            {
                // Keep serving what served before; retire only what this call loaded.
                RetireAll(loaded.Values, keep: old.Versions);
                _models[name] = old with { Reason = e.Message, State = old.Latest is null ? ModelState.Unavailable : ModelState.Ready };
                _observer.LoadFailed(name, e.Message);
                throw;
            }

            var latest = defaultVersion is { } v ? loaded[v] : null;
            _models[name] = new ServedModel
            {
                Versions = loaded,
                Latest = latest,
                State = latest is null ? ModelState.Unavailable : ModelState.Ready,
                Reason = latest is null ? "no version is the default" : "",
                // A model without a default version must not hold the server unready: it is listed, not wanted.
                Wanted = latest is not null,
            };
            RetireAll(old.Versions.Values, keep: loaded);
        }
        finally
        {
            gate.Release();
        }
    }

    private static void RetireAll(IEnumerable<ModelVersion> versions, IReadOnlyDictionary<long, ModelVersion>? keep)
    {
        foreach (var version in versions)
        {
            if (keep is null || !keep.TryGetValue(version.Version, out var kept) || !ReferenceEquals(kept, version))
            {
                version.Retire();
            }
        }
    }
}
