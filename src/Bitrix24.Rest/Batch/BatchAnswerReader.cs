using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Batch
{
    /// <summary>One command of a batch call: the name its answer comes back under, the method and its parameters.</summary>
    public readonly struct BatchItem
    {
        public BatchItem(string name, string method, JObject parameters, IBatchQuery query = null)
        {
            Name = name;
            Method = method;
            Parameters = parameters;
            Query = query;
        }

        public string Name { get; }
        public string Method { get; }
        public JObject Parameters { get; }
        /// <summary>When set, the parameters write themselves into the command (and <see cref="Parameters"/> is not used).</summary>
        public IBatchQuery Query { get; }
    }

    /// <summary>A batch call's answer: each command's result or error, in the order of the commands, and
    /// the operating-budget figures of each command's time block, in the order the portal gave them.</summary>
    public sealed class BatchReply
    {
        internal BatchReply(BatchCommandResult[] results, List<(int Index, double Operating, double ResetAt)> times)
        {
            Results = results;
            Times = times;
        }

        /// <summary>Aligned with the commands sent: <c>Results[i]</c> is the answer to command <c>i</c>.</summary>
        public IReadOnlyList<BatchCommandResult> Results { get; }
        internal List<(int Index, double Operating, double ResetAt)> Times { get; }
    }

    /// <summary>
    /// Reads the success answer of a batch call straight from its UTF-8 bytes, without building the
    /// answer as JSON objects: a bulk run gets one such answer per 50 leads, and most of it is the eight
    /// timing figures of every command, of which the module reads two (the operating budget). Only the
    /// values it hands on (each command's result, and errors) become JSON tokens; everything else is
    /// checked and stepped over. Anything it does not expect (an error envelope, another shape, broken
    /// JSON) makes it give up and return null, and the caller reads the answer the general way, which
    /// reports it as before.
    /// </summary>
    internal sealed class BatchAnswerReader
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        private readonly byte[] _bytes;
        private readonly int _end;
        private readonly IReadOnlyList<BatchItem> _items;
        private int _at;

        private JToken[] _results;
        private JToken[] _errors;
        private JToken[] _totals;
        private JToken[] _nexts;
        private List<(int, double, double)> _times;

        private BatchAnswerReader(byte[] bytes, int length, IReadOnlyList<BatchItem> items)
        {
            _bytes = bytes;
            _end = length;
            _items = items;
        }

        /// <summary>The answer, or null when it is not a plain batch success answer this reader knows.</summary>
        public static BatchReply TryRead(byte[] bytes, int length, IReadOnlyList<BatchItem> items)
        {
            var reader = new BatchAnswerReader(bytes, length, items);
            try
            {
                return reader.ReadEnvelope() ? reader.Reply() : null;
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException || ex is ArgumentException || ex is OverflowException)
            {
                return null;
            }
        }

        private BatchReply Reply()
        {
            var results = new BatchCommandResult[_items.Count];
            for (var i = 0; i < results.Length; i++)
                results[i] = BatchCommandResult.From(_items[i].Name, _results?[i], _totals?[i], _nexts?[i], _errors?[i]);
            return new BatchReply(results, _times ?? new List<(int, double, double)>());
        }

        // ---- the envelope: {"result": {...sections...}, "time": {...}} -------------------------------

        private bool ReadEnvelope()
        {
            if (_end >= 3 && _bytes[0] == 0xEF && _bytes[1] == 0xBB && _bytes[2] == 0xBF) _at = 3;
            SkipSpace();
            if (!Take((byte)'{')) return false;
            var sawResult = false;
            if (!TakeAfterSpace((byte)'}'))
            {
                do
                {
                    var (start, length) = ReadName();
                    if (Is(start, length, "result"))
                    {
                        if (!ReadSections()) return false;
                        sawResult = true;
                    }
                    else if (Is(start, length, "error"))
                    {
                        return false;   // an error envelope: the general reader turns it into the error
                    }
                    else SkipValue();
                } while (NextMember());
            }
            SkipSpace();
            return sawResult && _at == _end;
        }

        private bool ReadSections()
        {
            SkipSpace();
            if (!Take((byte)'{')) return false;
            if (TakeAfterSpace((byte)'}')) return true;
            do
            {
                var (start, length) = ReadName();
                if (Is(start, length, "result")) _results = ReadByCommand(ReadToken);
                else if (Is(start, length, "result_error")) _errors = ReadByCommand(ReadToken);
                else if (Is(start, length, "result_total")) _totals = ReadByCommand(ReadToken);
                else if (Is(start, length, "result_next")) _nexts = ReadByCommand(ReadToken);
                else if (Is(start, length, "result_time")) ReadByCommand(ReadTimeBlock);
                else SkipValue();
            } while (NextMember());
            return true;
        }

        /// <summary>A section: an object keyed by command name, or an empty array (PHP's empty array).</summary>
        private JToken[] ReadByCommand(Func<int, JToken> readValue)
        {
            SkipSpace();
            if (Take((byte)'['))
            {
                if (!TakeAfterSpace((byte)']')) throw new FormatException("A section that is an array must be empty.");
                return null;
            }
            if (!Take((byte)'{')) throw new FormatException("A section must be an object.");
            var values = new JToken[_items.Count];
            if (TakeAfterSpace((byte)'}')) return values;
            var hint = 0;
            do
            {
                var (start, length) = ReadName();
                var index = IndexOfCommand(start, length, hint);
                if (index < 0) { SkipValue(); continue; }
                hint = index + 1;
                values[index] = readValue(index);
            } while (NextMember());
            return values;
        }

        /// <summary>The command whose name this is: answers come in the order sent, so the next one is tried first.</summary>
        private int IndexOfCommand(int start, int length, int hint)
        {
            if (hint < _items.Count && Is(start, length, _items[hint].Name)) return hint;
            for (var i = 0; i < _items.Count; i++)
                if (Is(start, length, _items[i].Name)) return i;
            return -1;
        }

        /// <summary>One command's timings: only operating and operating_reset_at are kept (0 when absent, as before).</summary>
        private JToken ReadTimeBlock(int index)
        {
            SkipSpace();
            if (!Take((byte)'{')) { SkipValue(); return null; }
            double operating = 0, resetAt = 0;
            if (!TakeAfterSpace((byte)'}'))
            {
                do
                {
                    var (start, length) = ReadName();
                    if (Is(start, length, "operating")) operating = ReadNumberOrZero();
                    else if (Is(start, length, "operating_reset_at")) resetAt = ReadNumberOrZero();
                    else SkipValue();
                } while (NextMember());
            }
            (_times ?? (_times = new List<(int, double, double)>(_items.Count))).Add((index, operating, resetAt));
            return null;
        }

        // ---- values ------------------------------------------------------------------------------------

        /// <summary>A value handed on: true/false/null and plain integers directly, anything else through Json.NET.</summary>
        private JToken ReadToken(int index)
        {
            SkipSpace();
            var start = _at;
            SkipValue();
            var length = _at - start;
            if (Is(start, length, "true")) return new JValue(true);
            if (Is(start, length, "false")) return new JValue(false);
            if (Is(start, length, "null")) return JValue.CreateNull();
            if (TryReadInteger(start, length, out var integer)) return new JValue(integer);
            return JsonText.Parse(Utf8.GetString(_bytes, start, length));
        }

        private bool TryReadInteger(int start, int length, out long value)
        {
            value = 0;
            var i = start;
            var negative = length > 0 && _bytes[i] == '-';
            if (negative) i++;
            var digits = start + length - i;
            // Up to 18 digits always fit a long; a leading zero is only valid alone (as JSON says).
            if (digits < 1 || digits > 18 || digits > 1 && _bytes[i] == '0') return false;
            for (; i < start + length; i++)
            {
                var b = _bytes[i];
                if (b < '0' || b > '9') return false;
                value = value * 10 + (b - '0');
            }
            if (negative) value = -value;
            return true;
        }

        /// <summary>A number; anything else (a string, null) counts as 0, as the general reader's cast did.</summary>
        private double ReadNumberOrZero()
        {
            SkipSpace();
            var start = _at;
            SkipValue();
            var b = _bytes[start];
            if (b != '-' && (b < '0' || b > '9')) return 0;
            return double.Parse(Encoding.ASCII.GetString(_bytes, start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        /// <summary>Steps over one JSON value, checking it is well-formed.</summary>
        private void SkipValue()
        {
            SkipSpace();
            if (_at >= _end) throw new FormatException("Unexpected end of the answer.");
            switch (_bytes[_at])
            {
                case (byte)'{':
                    _at++;
                    if (TakeAfterSpace((byte)'}')) return;
                    do { ReadName(); SkipValue(); } while (NextMember());
                    return;
                case (byte)'[':
                    _at++;
                    if (TakeAfterSpace((byte)']')) return;
                    do { SkipValue(); SkipSpace(); } while (Take((byte)',') || !Expect((byte)']'));
                    return;
                case (byte)'"':
                    SkipString();
                    return;
                case (byte)'t': ExpectWord("true"); return;
                case (byte)'f': ExpectWord("false"); return;
                case (byte)'n': ExpectWord("null"); return;
                default:
                    SkipNumber();
                    return;
            }
        }

        /// <summary>A property name (no escapes: the names read here never have any) and its colon.</summary>
        private (int Start, int Length) ReadName()
        {
            SkipSpace();
            if (!Take((byte)'"')) throw new FormatException("A property name was expected.");
            var start = _at;
            while (_at < _end && _bytes[_at] != '"')
            {
                if (_bytes[_at] == '\\' || _bytes[_at] < 0x20) throw new FormatException("Escaped property names are left to the general reader.");
                _at++;
            }
            if (_at >= _end) throw new FormatException("Unexpected end of the answer.");
            var length = _at - start;
            _at++;
            SkipSpace();
            if (!Take((byte)':')) throw new FormatException("A colon was expected.");
            return (start, length);
        }

        /// <summary>After a member: true at a comma (another follows), false at the closing brace.</summary>
        private bool NextMember()
        {
            SkipSpace();
            if (Take((byte)',')) return true;
            if (Take((byte)'}')) return false;
            throw new FormatException("A comma or closing brace was expected.");
        }

        private bool Expect(byte b)
        {
            if (!Take(b)) throw new FormatException("'" + (char)b + "' was expected.");
            return true;
        }

        private void SkipString()
        {
            _at++;   // the opening quote
            while (_at < _end)
            {
                var b = _bytes[_at++];
                if (b == '"') return;
                if (b < 0x20) throw new FormatException("A control character in a string.");
                if (b != '\\') continue;
                if (_at >= _end) break;
                var escaped = _bytes[_at++];
                if (escaped == 'u')
                {
                    for (var i = 0; i < 4; i++, _at++)
                        if (_at >= _end || !Uri.IsHexDigit((char)_bytes[_at])) throw new FormatException("A bad \\u escape.");
                }
                else if ("\"\\/bfnrt".IndexOf((char)escaped) < 0) throw new FormatException("A bad escape.");
            }
            throw new FormatException("Unexpected end of the answer in a string.");
        }

        /// <summary>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</summary>
        private void SkipNumber()
        {
            Take((byte)'-');
            if (Take((byte)'0')) { }
            else if (Digits() == 0) throw new FormatException("A value was expected.");
            if (Take((byte)'.') && Digits() == 0) throw new FormatException("Digits were expected after the point.");
            if (Take((byte)'e') || Take((byte)'E'))
            {
                if (!Take((byte)'+')) Take((byte)'-');
                if (Digits() == 0) throw new FormatException("Digits were expected in the exponent.");
            }
        }

        private int Digits()
        {
            var start = _at;
            while (_at < _end && _bytes[_at] >= '0' && _bytes[_at] <= '9') _at++;
            return _at - start;
        }

        private void ExpectWord(string word)
        {
            if (!Is(_at, Math.Min(word.Length, _end - _at), word)) throw new FormatException("A bad literal.");
            _at += word.Length;
        }

        private void SkipSpace()
        {
            while (_at < _end)
            {
                var b = _bytes[_at];
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return;
                _at++;
            }
        }

        private bool Take(byte b)
        {
            if (_at < _end && _bytes[_at] == b) { _at++; return true; }
            return false;
        }

        private bool TakeAfterSpace(byte b)
        {
            SkipSpace();
            return Take(b);
        }

        /// <summary>Whether the bytes are this ASCII text.</summary>
        private bool Is(int start, int length, string text)
        {
            if (length != text.Length) return false;
            for (var i = 0; i < length; i++)
                if (_bytes[start + i] != text[i]) return false;
            return true;
        }
    }
}
