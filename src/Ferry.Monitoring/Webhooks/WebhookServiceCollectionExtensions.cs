using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="WebhookSender"/> as a hosted service with options validated at start; the host binds them
    /// (<c>.BindConfiguration(WebhookOptions.Section)</c>, as it does the prediction log's). Its HTTP client follows no
    /// redirects and leaves timeouts to the sender. Events are stamped with the registered <see cref="TimeProvider"/>;
    /// attempt timeouts and backoffs run on real time (a host's clock may be a test's, moved by hours).
    /// </summary>
    public static OptionsBuilder<WebhookOptions> AddFerryWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<WebhookSender>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WebhookSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        return services.AddOptions<WebhookOptions>().ValidateOnStart();
    }
}
