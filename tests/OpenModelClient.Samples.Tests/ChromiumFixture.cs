using Microsoft.Playwright;

namespace OpenModelClient.Samples.Tests;

/// <summary>One headless Debian Chromium for a test class, driven by Playwright; never a browser Playwright downloads.</summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    /// <summary>Debian's chromium package; .ci/run installs it.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Launches the browser on first use; skips the calling test when Chromium is not installed.</summary>
    public async Task<IBrowser> GetBrowserAsync()
    {
        Assert.SkipUnless(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests; .ci/run does.");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            return _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,

                // Without the background-networking switches Chromium keeps dialling Google from a machine with no internet.
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
