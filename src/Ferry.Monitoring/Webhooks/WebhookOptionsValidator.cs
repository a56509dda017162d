using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Webhooks;

/// <summary>Reports every bad webhook setting at once, at start.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var e = options.Endpoints[i];
            if (!Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Webhooks:Endpoints:{i}:Url must be an absolute http or https URL, not '{e.Url}'");
            }

            if (string.IsNullOrEmpty(e.Secret))
            {
                errors.Add($"Webhooks:Endpoints:{i}:Secret is required: receivers verify the signature with it");
            }
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"Webhooks:QueueCapacity must be at least 1, not {options.QueueCapacity}");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"Webhooks:MaxAttempts must be at least 1, not {options.MaxAttempts}");
        }

        if (options.InitialBackoff <= TimeSpan.Zero || options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add("Webhooks:InitialBackoff must be positive and Webhooks:MaxBackoff at least as long");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Webhooks:Timeout must be positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
