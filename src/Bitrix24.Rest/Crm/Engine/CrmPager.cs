using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// Streams a list method (crm.lead.list, crm.deal.list …) page by page in constant memory, with as few HTTP requests as the portal
    /// allows. The first request is a plain list call (it counts the total). After that:
    /// <list type="bullet">
    /// <item>ordered by ID (the default): an ID cursor, as the docs advise for large sets — filter
    /// <c>&gt;ID</c> = last seen id, <c>start=-1</c> (nothing counted) — with up to 50 pages chained in
    /// one batch request through <c>$result[pN][49][ID]</c> references: 2,500 records per request;</item>
    /// <item>any other order: offsets, up to 50 pages per batch request.</item>
    /// </list>
    /// A request is sent only when the caller asks for more: a consumer that stops reading (Select-Object
    /// -First, Ctrl+C) leaves nothing in flight and nothing fetched that it did not want.
    /// </summary>
    public sealed class CrmPager
    {
        public const int PageSize = 50;
        public const int PagesPerBatch = 50;
        private readonly Bitrix24Client _client;
        private readonly CrmListQuery _query;
        private readonly CancellationToken _cancellation;
        private readonly Action<string> _log;
        private readonly JObject _filter;
        private readonly JArray _select;
        private long _handedOut;
        private long _fetched;          // rows received from the portal, skipped ones included
        private int _lastId;
        private int _nextOffset;
        private bool _started;
        private bool _finished;
        private readonly CrmRoute _route;

        public CrmPager(Bitrix24Client client, CrmListQuery query, CancellationToken cancellation, Action<string> log)
        {
            _client = client;
            _route = CrmRoute.For(client.Connection, query.Entity);
            _query = query;
            _cancellation = cancellation;
            _log = log;
            _filter = (JObject)query.Filter.DeepClone();
            _select = query.SelectWithId();
            if (query.OrderedById) TakeIdBoundFromFilter();
        }

        /// <summary>How many records match, as the portal counted them on the first page (null before it).</summary>
        public int? Total { get; private set; }
        /// <summary>HTTP requests made so far.</summary>
        public int Requests { get; private set; }

        /// <summary>The next records (API form), or null when the list is done.</summary>
        public async Task<IReadOnlyList<JObject>> NextAsync()
        {
            while (true)
            {
                List<JObject> chunk;
                if (!_started)
                {
                    _started = true;
                    chunk = await FetchFirstAsync().ConfigureAwait(false);
                }
                else if (_finished) return null;
                else chunk = await FetchNextAsync().ConfigureAwait(false);
                var take = Limit(chunk);
                if (take.Count > 0) return take;
            }
        }

        private List<JObject> Limit(List<JObject> rows)
        {
            if (_query.First.HasValue)
            {
                var room = _query.First.Value - _handedOut;
                if (room <= 0) { _finished = true; return new List<JObject>(); }
                if (rows.Count >= room)
                {
                    rows = rows.Take((int)room).ToList();
                    _finished = true;
                }
            }
            _handedOut += rows.Count;
            return rows;
        }

        private bool EnoughFetched => _query.First.HasValue && _fetched >= _query.Skip + _query.First.Value
                                      || Total.HasValue && _fetched >= Total.Value;

        private async Task<List<JObject>> FetchFirstAsync()
        {
            var offset = _query.Skip - _query.Skip % PageSize;   // the portal rounds start down to 50 anyway
            var response = await _client.CallAsync(_route.List, ListParameters(offset, null, countTotal: true),
                                                   _cancellation, _log).ConfigureAwait(false);
            Requests++;
            Total = response.Total;
            var rows = _route.ReadRows(response.Result, _select);
            _fetched = offset + rows.Count;
            _nextOffset = offset + PageSize;
            Remember(rows);
            if (rows.Count < PageSize || EnoughFetched) _finished = true;
            return rows.Skip(_query.Skip % PageSize).ToList();
        }

        private async Task<List<JObject>> FetchNextAsync()
        {
            var pages = PagesStillNeeded();
            var items = new List<BatchItem>(pages);
            for (var i = 0; i < pages; i++)
            {
                JObject parameters;
                if (_query.OrderedById)
                {
                    var after = i == 0 ? _lastId.ToString(CultureInfo.InvariantCulture) : _route.RowIdReference($"p{i - 1}", PageSize - 1);
                    parameters = ListParameters(-1, after, countTotal: false);
                }
                else
                {
                    parameters = ListParameters(_nextOffset + i * PageSize, null, countTotal: true);
                }
                items.Add(new BatchItem("p" + i.ToString(CultureInfo.InvariantCulture), _route.List, parameters));
            }
            var reply = await _client.CallBatchAsync(items, _cancellation, _log).ConfigureAwait(false);
            Requests++;
            var rows = new List<JObject>();
            foreach (var answer in reply.Results)
            {
                if (answer.Failed)
                    throw new Bitrix24Exception(_route.List, answer.ErrorCode, answer.ErrorDescription, 200);
                var page = _route.ReadRows(answer.Result, _select);
                rows.AddRange(page);
                _fetched += page.Count;
                _nextOffset += PageSize;
                Remember(page);
                // A chain is trusted only up to its first short page: what a reference to a missing row
                // yields is not documented, so the pages after it are ignored.
                if (page.Count < PageSize || EnoughFetched) { _finished = true; break; }
            }
            return rows;
        }

        private int PagesStillNeeded()
        {
            long wanted = PagesPerBatch * PageSize;
            if (Total.HasValue) wanted = Math.Min(wanted, Total.Value - _fetched);
            if (_query.First.HasValue) wanted = Math.Min(wanted, _query.Skip + _query.First.Value - _fetched);
            var pages = (int)Math.Ceiling(Math.Max(wanted, 1) / (double)PageSize);
            return Math.Max(1, Math.Min(PagesPerBatch, pages));
        }

        private JObject ListParameters(int start, string afterId, bool countTotal)
        {
            var filter = (JObject)_filter.DeepClone();
            if (_query.OrderedById && (afterId != null || _lastId > 0)) filter[">ID"] = afterId ?? _lastId.ToString(CultureInfo.InvariantCulture);
            return _route.ListParameters(filter, (JArray)_select.DeepClone(),
                                         _query.OrderedById ? new JObject { ["ID"] = "ASC" } : (JObject)_query.Order.DeepClone(),
                                         countTotal ? start : -1);
        }

        private void Remember(List<JObject> rows)
        {
            if (rows.Count > 0 && int.TryParse((string)rows[rows.Count - 1]["ID"], out var id)) _lastId = id;
        }

        /// <summary>A user's own <c>&gt;ID</c> / <c>&gt;=ID</c> bound becomes the cursor's starting point.</summary>
        private void TakeIdBoundFromFilter()
        {
            foreach (var key in new[] { ">ID", ">=ID" })
            {
                var property = _filter.Properties().FirstOrDefault(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
                if (property == null || !int.TryParse(property.Value.ToString(), out var bound)) continue;
                _lastId = Math.Max(_lastId, key == ">ID" ? bound : bound - 1);
                property.Remove();
            }
        }
    }
}
