using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Replaces the product rows of a deal (crm.deal.productrows.set): the rows given become the deal's
    /// whole list, and a row left out is deleted. -WhatIf and -Confirm show the rows now → the rows after.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "B24DealProductRow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType("Bitrix24.DealProductRow")]
    public sealed class SetB24DealProductRowCommand : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Id { get; set; }

        /// <summary>The new rows: hashtables or objects with PRODUCT_ID or PRODUCT_NAME, PRICE, QUANTITY …
        /// (rows read with Get-B24DealProductRow work too). An empty list removes every row.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyCollection]
        public object[] Row { get; set; }

        /// <summary>Write the deal's rows as read back.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var client = new DealProductRows(ActiveConnection.Client);
            try
            {
                var rows = DealProductRows.ToApi(Id, Row.Select(r => PSValue.Unwrap(r) is IDictionary d ? d : PSValue.PropertiesOf(PSObject.AsPSObject(r))));
                var current = Await((cancel, log) => client.GetAsync(Id, cancel, log));
                string Show(JArray list) => list.Count == 0 ? "(none)" : string.Join("; ", list.OfType<JObject>().Select(DealProductRows.Describe));
                if (!ShouldProcess($"Deal {Id}", $"Replace product rows: {Show(current)} -> {Show(rows)}")) return;
                Await((cancel, log) => client.SetAsync(Id, rows, cancel, log));
                if (PassThru)
                    foreach (var row in Await((cancel, log) => client.GetAsync(Id, cancel, log)).OfType<JObject>())
                        WriteObject(ProductRowObjects.Create(Id, row));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, Id);
            }
        }
    }
}
