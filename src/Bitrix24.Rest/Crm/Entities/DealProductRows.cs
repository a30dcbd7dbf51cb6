using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// A deal's product rows: crm.deal.productrows.get, and crm.deal.productrows.set, which replaces the
    /// whole list (a row left out is deleted). Rows are checked before sending: known keys only, numbers
    /// where numbers go, a product id or a name on every row.
    /// </summary>
    public sealed class DealProductRows
    {
        /// <summary>The row keys crm.deal.productrows.set takes (crm/deals/crm-deal-productrows-set.md).</summary>
        public static readonly IReadOnlyList<string> Keys = new[]
        {
            "PRODUCT_ID", "PRODUCT_NAME", "PRICE", "PRICE_EXCLUSIVE", "PRICE_NETTO", "PRICE_BRUTTO", "QUANTITY", "DISCOUNT_TYPE_ID",
            "DISCOUNT_RATE", "DISCOUNT_SUM", "TAX_RATE", "TAX_INCLUDED", "MEASURE_CODE", "MEASURE_NAME", "SORT",
        };

        /// <summary>Keys crm.deal.productrows.get answers with that set does not take (crm/deals/crm-deal-productrows-get.md):
        /// a row read back carries them, and they are left out when it is set again.</summary>
        public static readonly IReadOnlyList<string> ReadOnlyKeys = new[]
        {
            "ID", "OWNER_ID", "OWNER_TYPE", "ORIGINAL_PRODUCT_NAME", "PRODUCT_DESCRIPTION", "PRICE_ACCOUNT", "CUSTOMIZED", "XML_ID",
            "TYPE", "STORE_ID", "RESERVE_ID", "DATE_RESERVE_END", "RESERVE_QUANTITY", "DEALID",
        };

        private static readonly HashSet<string> Numbers = new HashSet<string>
        {
            "PRODUCT_ID", "PRICE", "PRICE_EXCLUSIVE", "PRICE_NETTO", "PRICE_BRUTTO", "QUANTITY", "DISCOUNT_TYPE_ID", "DISCOUNT_RATE",
            "DISCOUNT_SUM", "TAX_RATE", "MEASURE_CODE", "SORT",
        };

        private readonly Bitrix24Client _client;

        public DealProductRows(Bitrix24Client client) => _client = client;

        public async Task<JArray> GetAsync(int dealId, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync("crm.deal.productrows.get", new JObject { ["id"] = dealId }, cancellation, log).ConfigureAwait(false);
            return response.Result as JArray ?? new JArray();
        }

        public async Task SetAsync(int dealId, JArray rows, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync("crm.deal.productrows.set", new JObject { ["id"] = dealId, ["rows"] = rows }, cancellation, log).ConfigureAwait(false);
            if (response.Result == null || response.Result.Type != JTokenType.Boolean || !(bool)response.Result)
                throw new Bitrix24Exception("crm.deal.productrows.set", "", $"Deal {dealId}: the product rows were not set ({response.Result}).", 200);
        }

        /// <summary>The rows as crm.deal.productrows.set takes them, from hashtables or objects (plain .NET values).</summary>
        public static JArray ToApi(int dealId, IEnumerable<IDictionary> rows)
        {
            var result = new JArray();
            var number = 0;
            foreach (var row in rows)
            {
                number++;
                var entry = new JObject();
                // A row read back (it has the row's own ID) carries the portal's get-only keys: they are left out. Given
                // by hand, such a key is refused like any other the method does not take.
                var readBack = row.Keys.Cast<object>().Any(k => string.Equals(Convert.ToString(k, CultureInfo.InvariantCulture), "OWNER_ID", StringComparison.OrdinalIgnoreCase));
                foreach (DictionaryEntry pair in row)
                {
                    var key = Convert.ToString(pair.Key, CultureInfo.InvariantCulture)?.ToUpperInvariant();
                    if (readBack && ReadOnlyKeys.Contains(key) || key == "DEALID") continue;
                    if (!Keys.Contains(key))
                    {
                        var closest = CrmFieldCatalog.ClosestNames(key, Keys);
                        var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : "";
                        throw new CrmFieldException("rows[" + number + "]." + pair.Key, $"is not a product row key; the keys are {string.Join(", ", Keys)}.{hint}", dealId, CrmEntity.Deal.Name);
                    }
                    if (pair.Value == null) continue;
                    entry[key] = Numbers.Contains(key) ? CrmValueConverter.NumberToApi($"rows[{number}].{key}", pair.Value)
                               : key == "TAX_INCLUDED" ? new JValue(CrmValueConverter.ToYesNo($"rows[{number}].{key}", pair.Value) ? "Y" : "N")
                               : new JValue(CrmValueConverter.ScalarText($"rows[{number}].{key}", pair.Value));
                }
                if (entry["PRODUCT_ID"] == null && string.IsNullOrWhiteSpace((string)entry["PRODUCT_NAME"]))
                    throw new CrmFieldException($"rows[{number}]", "names no product: give PRODUCT_ID (a catalog product) or PRODUCT_NAME.", dealId, CrmEntity.Deal.Name);
                result.Add(entry);
            }
            return result;
        }

        /// <summary>A row as one line: Chair × 2 @ 150.00.</summary>
        public static string Describe(JObject row)
        {
            var name = (string)row["PRODUCT_NAME"];
            if (string.IsNullOrEmpty(name)) name = "product " + (string)row["PRODUCT_ID"];
            var quantity = decimal.TryParse((string)row["QUANTITY"], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 1m;
            var price = decimal.TryParse((string)row["PRICE"], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0m;
            return string.Format(CultureInfo.InvariantCulture, "{0} x {1:0.##} @ {2:0.00}", name, quantity, price);
        }
    }
}
