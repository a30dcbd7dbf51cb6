using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads the product rows of deals (crm.deal.productrows.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24DealProductRow")]
    [OutputType("Bitrix24.DealProductRow")]
    public sealed class GetB24DealProductRowCommand : B24ConnectedCmdlet
    {
        /// <summary>Deal ids, or deal objects from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        protected override void ProcessRecord()
        {
            var rows = new DealProductRows(ActiveConnection.Client);
            foreach (var id in Id)
            {
                try
                {
                    foreach (var row in Await((cancel, log) => rows.GetAsync(id, cancel, log)))
                        if (row is JObject fields) WriteObject(ProductRowObjects.Create(id, fields));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, id);
                }
            }
        }
    }

    /// <summary>Bitrix24.DealProductRow objects: DealId and the row's fields by their API names.</summary>
    internal static class ProductRowObjects
    {
        public static PSObject Create(int dealId, JObject row)
        {
            var item = new PSObject();
            item.TypeNames.Insert(0, "Bitrix24.DealProductRow");
            item.Properties.Add(new PSNoteProperty("DealId", dealId));
            foreach (var property in row.Properties())
                item.Properties.Add(new PSNoteProperty(property.Name, PSValue.FromJson(property.Value)));
            return item;
        }
    }
}
