CREATE TABLE "shipping_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"countries" text[] NOT NULL,
	"rate" jsonb NOT NULL,
	"estimated_days_min" integer,
	"estimated_days_max" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipping_methods_countries_alpha2" CHECK (cardinality("shipping_methods"."countries") >= 1 and array_to_string("shipping_methods"."countries", ',') ~ '^[A-Z]{2}(,[A-Z]{2})*$'),
	CONSTRAINT "shipping_methods_rate_kind" CHECK ("shipping_methods"."rate"->>'kind' in ('flat', 'free_above', 'weight')),
	CONSTRAINT "shipping_methods_rate_amounts" CHECK (not jsonb_path_exists("shipping_methods"."rate", '$.** ? (@.type() == "number" && (@ < 0 || @ != @.floor()))')),
	CONSTRAINT "shipping_methods_estimated_days" CHECK ("shipping_methods"."estimated_days_min" >= 0 and "shipping_methods"."estimated_days_max" >= 0 and "shipping_methods"."estimated_days_min" <= "shipping_methods"."estimated_days_max")
);
--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"name" text NOT NULL,
	"rate_basis_points" integer NOT NULL,
	"applies_to_shipping" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rates_country_alpha2" CHECK ("tax_rates"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "tax_rates_region_code" CHECK ("tax_rates"."region" ~ '^[A-Z0-9]{1,3}$'),
	CONSTRAINT "tax_rates_basis_points" CHECK ("tax_rates"."rate_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE INDEX "shipping_methods_created_id_idx" ON "shipping_methods" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shipping_methods_countries_idx" ON "shipping_methods" USING gin ("countries");--> statement-breakpoint
CREATE INDEX "tax_rates_created_id_idx" ON "tax_rates" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tax_rates_country_region_unique" ON "tax_rates" USING btree ("country",coalesce("region", ''));