using Ferry.Inference;
using Ferry.Monitoring.Alerts;
using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Log;
using Ferry.Monitoring.Performance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Registers the prediction log (tap, channel, writer, reader), labels, performance and drift. The log goes to
    /// <paramref name="defaultDirectory"/> unless configured otherwise.
    /// </summary>
    public static OptionsBuilder<PredictionLogOptions> AddFerryMonitoring(this IServiceCollection services, string defaultDirectory)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PredictionLogStats>();
        services.TryAddSingleton<PredictionChannel>();
        services.TryAddSingleton<SegmentGate>();
        services.TryAddSingleton<IPredictionTap, PredictionTap>();
        services.TryAddSingleton<PredictionLogWriter>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PredictionLogWriter>());
        services.TryAddSingleton<PredictionLogReader>();
        services.TryAddSingleton<LabelStore>();
        services.TryAddSingleton<PerformanceService>();
        services.TryAddSingleton<DriftService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDriftTest, KolmogorovSmirnovTest>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDriftTest, WassersteinTest>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDriftTest, JensenShannonTest>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDriftTest, ChiSquareTest>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDriftTest, PsiTest>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PredictionLogOptions>, PredictionLogOptionsValidator>());
        services.TryAddSingleton<IModelAgeSource, NoModelAges>();
        services.TryAddSingleton<IReferenceSource, FileReferences>();
        services.TryAddSingleton<AlertEvaluator>();
        services.TryAddSingleton(sp => new AlertHistory(sp.GetRequiredService<IOptions<AlertOptions>>().Value.HistoryPath is { Length: > 0 } path
            ? path
            : Path.Combine(sp.GetRequiredService<IOptions<PredictionLogOptions>>().Value.Directory, "alerts", "history.jsonl")));
        services.TryAddSingleton<AlertManager>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AlertManager>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());
        services.AddOptions<AlertOptions>().ValidateOnStart();
        return services.AddOptions<PredictionLogOptions>()
            .Configure(o => o.Directory = string.IsNullOrEmpty(o.Directory) ? defaultDirectory : o.Directory)
            .ValidateOnStart();
    }
}
